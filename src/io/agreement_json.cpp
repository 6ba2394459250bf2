// JSON of the agreement results (agreement_json.hpp, public and internal).
#include <calibra/io/agreement_json.hpp>

#include "agreement_json.hpp"
#include "json_values.hpp"

#include <calibra/agreement/interpretation.hpp>

#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

namespace calibra {
namespace io::detail {

namespace ag = agreement;

json to_json_value(const ag::options& options) {
  json out = json::object();
  ag::visit_options(options, [&](const char* name, const auto& value) {
    using value_type = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<value_type, std::string_view>)
      out[name] = std::string(value);
    else if constexpr (std::is_same_v<value_type, std::optional<double>>)
      out[name] = number(value);
    else
      out[name] = value;
  });
  if (options.weights == ag::weight_scheme::custom) {
    json rows = json::array();
    for (Eigen::Index i = 0; i < options.custom_weights.rows(); ++i) {
      json row = json::array();
      for (Eigen::Index j = 0; j < options.custom_weights.cols(); ++j) row.push_back(number(options.custom_weights(i, j)));
      rows.push_back(std::move(row));
    }
    out["custom_weights"] = std::move(rows);
  }
  return out;
}

json to_json_value(const ag::result& r) {
  json out = json::object();
  out["statistic"] = std::string(ag::to_string(r.stat));
  out["options"] = to_json_value(r.used);
  out["value"] = number(r.value);
  out["se"] = number(r.se);
  out["ci_low"] = number(r.ci_low);
  out["ci_high"] = number(r.ci_high);
  out["ci_method"] = text_or_null(r.ci_method);
  out["observed"] = number(r.observed);
  out["chance"] = number(r.chance);
  out["disagreement"] = r.disagreement;
  out["n_units"] = r.n_units;
  out["n_raters"] = r.n_raters;
  const auto reading = ag::interpret(r);
  out["interpretation"] = reading ? json(std::string(reading->label)) : json(nullptr);
  out["interpretation_scale"] = reading ? json(std::string(ag::to_string(reading->scale))) : json(nullptr);
  out["reason"] = r.reason ? json(*r.reason) : json(nullptr);
  json extra = json::object();
  for (const auto& [key, value] : r.extra) extra[key] = number(value);
  out["extra"] = std::move(extra);
  if (!r.per_category.empty()) {
    json per_category = json::object();
    for (const auto& [code, value] : r.per_category) {
      // The code as a person writes it (1, 2.5), the way the CLI spells it.
      std::ostringstream key;
      key << code;
      per_category[key.str()] = number(value);
    }
    out["per_category"] = std::move(per_category);
  }
  return out;
}

json to_json_value(const ag::pairwise_result& p) {
  json out = json::object();
  out["statistic"] = std::string(ag::to_string(p.stat));
  out["options"] = to_json_value(p.used);
  json values = json::array(), counts = json::array();
  for (Eigen::Index i = 0; i < p.value.rows(); ++i) {
    json value_row = json::array(), count_row = json::array();
    for (Eigen::Index j = 0; j < p.value.cols(); ++j) {
      value_row.push_back(number(p.value(i, j)));
      count_row.push_back(p.n_units(i, j));
    }
    values.push_back(std::move(value_row));
    counts.push_back(std::move(count_row));
  }
  out["value"] = std::move(values);
  out["n_units"] = std::move(counts);
  json reasons = json::array();
  for (const auto& [pair, why] : p.reasons)
    reasons.push_back({{"rater_a", pair.first}, {"rater_b", pair.second}, {"reason", why}});
  out["reasons"] = std::move(reasons);
  return out;
}

}  // namespace io::detail

std::string to_json(const agreement::options& options) { return io::detail::to_json_value(options).dump(); }

std::string to_json(const agreement::result& result) { return io::detail::to_json_value(result).dump(); }

std::string to_json(const agreement::pairwise_result& result) { return io::detail::to_json_value(result).dump(); }

}  // namespace calibra
