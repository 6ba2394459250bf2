// Fuzz target: the long-form ratings CSV reader (calibra/io/ratings.hpp),
// against the built-in framework.  See fuzz_ratings.hpp for the invariants.
#include "fuzz_ratings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = calibra::fuzz::as_text(data, size);
  calibra::fuzz::check_reader([&](const calibra::ratings_options& options) {
    return calibra::read_ratings_csv_text(text, calibra::fuzz::ratings_framework(), "fuzz.csv", options);
  });
  return 0;
}
