// Internal: the agreement results as JSON values, for the writers that add
// to them (`calibra agree --json` adds the input file) before printing.
// The public, text form is <calibra/io/agreement_json.hpp>.
#pragma once

#include <calibra/agreement/options.hpp>
#include <calibra/agreement/pairwise.hpp>

#include <nlohmann/json.hpp>

namespace calibra::io::detail {

nlohmann::ordered_json to_json_value(const agreement::options& options);
nlohmann::ordered_json to_json_value(const agreement::result& result);
nlohmann::ordered_json to_json_value(const agreement::pairwise_result& result);

}  // namespace calibra::io::detail
