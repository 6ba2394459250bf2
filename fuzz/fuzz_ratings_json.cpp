// Fuzz target: the long-form ratings JSON reader (calibra/io/ratings.hpp),
// against the built-in framework.  A table read from JSON must survive the
// trip through the CSV writer and reader (fuzz_ratings.hpp).
#include "fuzz_ratings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = calibra::fuzz::as_text(data, size);
  calibra::fuzz::check_reader([&](const calibra::ratings_options& options) {
    return calibra::read_ratings_json_text(text, calibra::fuzz::ratings_framework(), "fuzz.json", options);
  });
  return 0;
}
