// The planted-truth generator of the recovery benchmark; planted.hpp
// describes the model and the truth rules.
#include "planted.hpp"

#include <calibra/detail/random.hpp>
#include <calibra/error.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <utility>

namespace calibra::bench::recovery {

namespace {

namespace cal = calibra::calibration;

class random_stream {
 public:
  explicit random_stream(std::uint64_t seed) : rng_(seed) {}

  /// Uniform on [0, 1), from the top 53 bits.
  double uniform() { return static_cast<double>(rng_.next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// ~ N(mean, sd), approximately: Irwin-Hall sum of twelve uniforms.
  double normal(double mean, double sd) {
    double sum = 0;
    for (int i = 0; i < 12; ++i) sum += uniform();
    return mean + sd * (sum - 6.0);
  }

 private:
  calibra::detail::xoshiro256ss rng_;
};

std::string numbered(const char* prefix, std::size_t i, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%s-%0*zu", prefix, width, i);
  return buffer;
}

/// Career level of ratee i of n: apm 20%, pm 25%, senior pm 25%,
/// principal pm 15%, group pm 15% (by ladder id, so a reordered ladder
/// still works).
std::size_t career_level_for(const framework& fw, std::size_t i, std::size_t n) {
  static constexpr std::array<std::pair<const char*, double>, 5> shares{
      {{"apm", 0.20}, {"pm", 0.25}, {"senior-pm", 0.25}, {"principal-pm", 0.15}, {"group-pm", 0.15}}};
  const double x = (static_cast<double>(i) + 0.5) / static_cast<double>(n);
  double cumulative = 0;
  for (const auto& [id, share] : shares) {
    cumulative += share;
    if (x < cumulative) {
      if (const auto level = fw.ladder().index_of(id)) return *level;
      throw invalid_argument("recovery", std::string("the framework has no career level '") + id + "'");
    }
  }
  return fw.ladder().size() - 1;
}

/// SD of the per-competency deviations of flat, ready and archetype profiles.
constexpr double profile_sd = 0.06;

int expectation(const framework& fw, std::size_t career_level, std::size_t competency) {
  return fw.expectations()(static_cast<Eigen::Index>(career_level), static_cast<Eigen::Index>(competency));
}

}  // namespace

// ---- truth rules -------------------------------------------------------------

std::vector<std::size_t> walk_of(const framework& fw, std::size_t career_level) {
  const calibra::track t = fw.ladder().career_levels()[career_level].track;
  std::vector<std::size_t> best;
  std::size_t best_count = 0;
  for (const auto& chain : fw.promotion_chains()) {
    if (std::find(chain.begin(), chain.end(), career_level) == chain.end()) continue;
    const auto count = static_cast<std::size_t>(std::count_if(
        chain.begin(), chain.end(), [&](std::size_t l) { return fw.ladder().career_levels()[l].track == t; }));
    if (best.empty() || count > best_count) best = chain, best_count = count;
  }
  return best;
}

std::vector<std::size_t> gap_competencies(const framework& fw, std::size_t from, std::size_t to) {
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < fw.competencies().size(); ++c)
    if (expectation(fw, to, c) > expectation(fw, from, c)) out.push_back(c);
  return out;
}

readiness_truth readiness_of(const framework& fw, const Eigen::VectorXd& proficiency, std::size_t career_level,
                             std::optional<std::size_t> next_level) {
  if (!next_level) return readiness_truth::no_next_step;
  bool all_clearly_met = true, some_clearly_missed = false;
  for (std::size_t c : gap_competencies(fw, career_level, *next_level)) {
    const double threshold = expectation(fw, *next_level, c) - meets_tolerance;
    const double p = proficiency(static_cast<Eigen::Index>(c));
    if (p < threshold + readiness_margin) all_clearly_met = false;
    if (p <= threshold - readiness_margin) some_clearly_missed = true;
  }
  if (all_clearly_met) return readiness_truth::clearly_ready;
  if (some_clearly_missed) return readiness_truth::clearly_not_ready;
  return readiness_truth::unclear;
}

std::pair<std::optional<std::size_t>, bool> level_of(const framework& fw, const Eigen::VectorXd& proficiency,
                                                     const std::vector<std::size_t>& walk) {
  // The smallest margin by which `level` is met over all competencies
  // (negative: missed by that much on the worst competency).
  auto worst_margin = [&](std::size_t level) {
    double worst = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < fw.competencies().size(); ++c)
      worst =
          std::min(worst, proficiency(static_cast<Eigen::Index>(c)) - (expectation(fw, level, c) - meets_tolerance));
    return worst;
  };
  std::optional<std::size_t> position;
  for (std::size_t i = 0; i < walk.size() && worst_margin(walk[i]) >= 0; ++i) position = i;
  if (!position) return {std::nullopt, false};
  const bool met_clearly = worst_margin(walk[*position]) >= level_margin;
  const bool next_missed_clearly = *position + 1 == walk.size() || worst_margin(walk[*position + 1]) <= -level_margin;
  return {walk[*position], met_clearly && next_missed_clearly};
}

int position_on(const std::vector<std::size_t>& walk, std::optional<std::size_t> level) {
  if (!level) return -1;
  const auto found = std::find(walk.begin(), walk.end(), *level);
  return found == walk.end() ? -1 : static_cast<int>(found - walk.begin());
}

// ---- the generator -----------------------------------------------------------------

planted_data generate(const std::shared_ptr<const framework>& fw_ptr, const planted_config& config) {
  const framework& fw = *fw_ptr;
  if (config.ratees < 2 || config.team_size < 1 || config.skip_span < 1)
    throw invalid_argument("recovery", "need at least two ratees, and team_size and skip_span of at least 1");
  const bool two = config.layout == design::two_periods;
  random_stream random(config.seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(config.layout));
  const std::size_t n_comp = fw.competencies().size();
  const int top = static_cast<int>(fw.scale().size());

  planted_data out;
  out.config = config;
  out.periods = two ? std::vector<std::string>{"2026Q1", "2026Q2"} : std::vector<std::string>{"2026Q2"};

  // Raters: managers, then skip-level managers or guests, then peers.
  const std::size_t n_managers = std::max<std::size_t>(2, (config.ratees + config.team_size - 1) / config.team_size);
  for (std::size_t m = 0; m < n_managers; ++m) {
    planted_rater r{numbered("mgr", m, 2), rater_kind::manager, rater_effect::none, random.normal(0, config.rater_sd),
                    0};
    if (m == 0) r.effect = rater_effect::lenient, r.severity = -config.planted_severity;
    if (m == 1) r.effect = rater_effect::harsh, r.severity = config.planted_severity;
    out.raters.push_back(r);
  }
  const std::size_t first_second = out.raters.size();
  const std::size_t n_skip = two ? (n_managers + config.skip_span - 1) / config.skip_span : 0;
  for (std::size_t d = 0; d < n_skip; ++d)
    out.raters.push_back(
        {numbered("dir", d, 1), rater_kind::skip_level, rater_effect::none, random.normal(0, config.rater_sd), 0});
  const std::size_t n_guests = two ? 0 : std::min(config.guest_raters, config.ratees);
  for (std::size_t g = 0; g < n_guests; ++g)
    out.raters.push_back(
        {numbered("guest", g, 1), rater_kind::guest, rater_effect::none, random.normal(0, config.rater_sd), 0});
  const std::size_t first_peer = out.raters.size();
  if (two)
    for (std::size_t i = 0; i < config.ratees; ++i)
      out.raters.push_back(
          {numbered("peer", i, 3), rater_kind::peer, rater_effect::none, random.normal(0, config.rater_sd), 0});

  // Ratees and their true proficiencies.
  const double ready_cut = config.ready_share;
  const double archetype_cut = ready_cut + config.archetype_share;
  const double mixed_cut = archetype_cut + config.mixed_share;
  for (std::size_t i = 0; i < config.ratees; ++i) {
    planted_ratee e;
    e.name = numbered("pm", i, 3);
    e.career_level = career_level_for(fw, i, config.ratees);
    e.manager = i % n_managers;
    e.walk = walk_of(fw, e.career_level);
    const int at = position_on(e.walk, e.career_level);
    if (at >= 0 && static_cast<std::size_t>(at) + 1 < e.walk.size())
      e.next_level = e.walk[static_cast<std::size_t>(at) + 1];

    const double draw = random.uniform();
    e.kind = draw < ready_cut       ? profile_kind::ready
             : draw < archetype_cut ? profile_kind::archetype
             : draw < mixed_cut     ? profile_kind::mixed
                                    : profile_kind::flat;
    if (e.kind == profile_kind::ready && !e.next_level) e.kind = profile_kind::flat;
    if (e.kind == profile_kind::archetype && fw.archetypes().empty()) e.kind = profile_kind::flat;

    e.proficiency.resize(static_cast<Eigen::Index>(n_comp));
    std::vector<double> pattern(n_comp, 0.0);
    if (e.kind == profile_kind::archetype) {
      e.archetype = std::min(fw.archetypes().size() - 1,
                             static_cast<std::size_t>(random.uniform() * static_cast<double>(fw.archetypes().size())));
      const archetype& a = fw.archetypes()[*e.archetype];
      for (const auto& id : a.strong) pattern[*fw.competency_index(id)] = 1;
      for (const auto& id : a.growth) pattern[*fw.competency_index(id)] = -1;
    }
    const double offset = e.kind == profile_kind::flat    ? random.uniform(0.12, 0.28)
                          : e.kind == profile_kind::ready ? random.uniform(0.35, 0.60)
                                                          : 0.30;
    const std::size_t base_level = e.kind == profile_kind::ready ? *e.next_level : e.career_level;
    for (std::size_t c = 0; c < n_comp; ++c) {
      const double expected = expectation(fw, base_level, c);
      double p = 0;
      if (e.kind == profile_kind::mixed)
        p = expected + random.normal(0.2, 0.45);
      else
        p = expected + offset + config.archetype_strength * pattern[c] + random.normal(0, profile_sd);
      e.proficiency(static_cast<Eigen::Index>(c)) = p;
    }
    e.self_inflation = random.normal(config.self_inflation, config.self_inflation_sd);

    e.readiness = readiness_of(fw, e.proficiency, e.career_level, e.next_level);
    const auto [level, clear] = level_of(fw, e.proficiency, e.walk);
    e.true_level = level;
    e.clear_level = clear;
    out.ratees.push_back(std::move(e));
  }

  // The ratings.
  cal::ratings_builder builder(fw_ptr, "planted design " + std::to_string(static_cast<int>(config.layout)) + " seed " +
                                           std::to_string(config.seed));
  // Guests rate ratees 3, 3 + every, 3 + 2 every, ... (every = ratees / guests).
  const std::size_t guest_every = n_guests ? config.ratees / n_guests : 0;
  const std::size_t guest_first = guest_every ? 3 % guest_every : 0;
  std::vector<std::set<std::size_t>> rated(out.raters.size());
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> pair_of;  // (rater, ratee) -> index into out.pairs
  auto rate = [&](const planted_ratee& e, const std::string& rater, cal::rater_role role, double shift,
                  const std::string& period) {
    for (std::size_t c = 0; c < n_comp; ++c) {
      const double score = e.proficiency(static_cast<Eigen::Index>(c)) + shift + random.normal(0, config.noise_sd);
      cal::rating r;
      r.ratee = e.name;
      r.rater = rater;
      r.role = role;
      r.competency = c;
      r.level = std::clamp(static_cast<int>(std::lround(score)), 1, top);
      r.period = period;
      r.career_level = e.career_level;
      builder.add(r);
    }
  };
  for (const std::string& period : out.periods)
    for (std::size_t i = 0; i < out.ratees.size(); ++i) {
      const planted_ratee& e = out.ratees[i];
      std::vector<std::pair<std::size_t, cal::rater_role>> external{{e.manager, cal::rater_role::manager}};
      if (two) {
        external.emplace_back(first_second + e.manager / config.skip_span, cal::rater_role::skip_level);
        external.emplace_back(first_peer + i, cal::rater_role::peer);
      } else if (guest_every && i % guest_every == guest_first && i / guest_every < n_guests) {
        external.emplace_back(first_second + i / guest_every, cal::rater_role::panel);
      } else {
        const std::size_t step = 1 + (i / n_managers) % (n_managers - 1);
        external.emplace_back((e.manager + step) % n_managers, cal::rater_role::panel);
      }
      for (const auto& [rater, role] : external) {
        auto pair = pair_of.find({rater, i});
        if (pair == pair_of.end()) {
          pair = pair_of.emplace(std::make_pair(rater, i), out.pairs.size()).first;
          out.pairs.push_back({rater, i, random.normal(0, config.pair_sd)});
        }
        rate(e, out.raters[rater].name, role, -out.raters[rater].severity + out.pairs[pair->second].effect, period);
        rated[rater].insert(i);
      }
      rate(e, e.name, cal::rater_role::self, e.self_inflation, period);
    }
  for (std::size_t r = 0; r < out.raters.size(); ++r) out.raters[r].ratees_rated = rated[r].size();
  out.table = builder.finish();
  return out;
}

}  // namespace calibra::bench::recovery
