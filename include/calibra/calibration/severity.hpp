// Rater severity: an additive model of the external ratings, severity-
// adjusted ("fair") scores, and rater-effect diagnostics.  docs/severity.md
// describes the model, its assumptions and every flag.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/connectivity.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/detail/names.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra::calibration {

/// How fit_severity solves the normal equations (docs/severity.md).
enum class severity_solver {
  automatic,               // dense when small (exact SEs), else Jacobi CG, then incomplete Cholesky CG
  dense,                   // dense Cholesky with exact SEs, whatever the size
  jacobi_cg,               // matrix-free conjugate gradients, Jacobi preconditioner
  incomplete_cholesky_cg,  // sparse information matrix, incomplete Cholesky preconditioner
};

/// Which model fit_severity estimates (docs/severity.md).
enum class severity_model {
  /// Crossed random effects fitted by REML: raters, ratees and ratee x
  /// competency are random, competencies and periods fixed.  Severities
  /// are posterior means, shrunk towards 0 by as much as the rater's data
  /// are thin, with posterior SDs.  The default.
  random_effects,
  /// Every rater, ratee, competency and period a fixed effect, by least
  /// squares: unshrunken, so a rater with two ratings can get an extreme
  /// severity.  Kept for comparison with FACETS-style fits.
  fixed_effects,
};

/// What a rater's ratings show (docs/severity.md defines each).  A new flag
/// is one enumerator here and one row in detail::rater_flag_names, whose
/// size goes up by one (a static_assert checks the table).
enum class rater_flag {
  lenient,             // severity credibly below -flag_threshold (the rule depends on the model)
  harsh,               // severity credibly above flag_threshold
  central_tendency,    // many ratings at the middle level(s), with a small spread
  range_restriction,   // few distinct levels, fewer than all raters gave the same ratees
  non_discriminating,  // the rater's per-ratee means spread less than the ratees' overall means
  halo,                // little spread across competencies for a ratee, one dominant component
};

namespace detail {
/// The stable spellings of rater_flag, in JSON, text, reports and Python.
inline constexpr calibra::detail::enum_names<rater_flag, 6> rater_flag_names{{
    {rater_flag::lenient, "lenient"},
    {rater_flag::harsh, "harsh"},
    {rater_flag::central_tendency, "central-tendency"},
    {rater_flag::range_restriction, "range-restriction"},
    {rater_flag::non_discriminating, "non-discriminating"},
    {rater_flag::halo, "halo"},
}};
static_assert(calibra::detail::is_one_to_one(rater_flag_names));
}  // namespace detail

std::string_view to_string(rater_flag flag);
std::optional<rater_flag> parse_rater_flag(std::string_view text);

struct severity_options {
  /// Which ratings to model.  Empty roles -> external_roles().
  ratings_filter filter;
  severity_model model = severity_model::random_effects;
  bool period_effects = true;
  /// Random effects: include ratee x competency effects (a person's profile
  /// across competencies) when some ratee has two or more kept ratings of
  /// one competency; without such replication they cannot be told apart
  /// from rating noise and are left out.
  bool ratee_competency_effects = true;
  /// Random effects: when every kept rating records the ratee's career
  /// level, estimate one mean profile per career level (the fixed part is
  /// career level x competency), so that a person's profile shrinks towards
  /// their own level's; otherwise one profile for everyone.
  bool career_level_profiles = true;
  /// Random effects with career-level profiles: a ratee x next-step effect,
  /// one for the competencies the ratee's next step on their track raises
  /// and one for the others, so that a person growing into the next level
  /// (higher on exactly the competencies the promotion asks for) is seen
  /// as one pattern measured on several competencies rather than as
  /// independent deviations each shrunk away.
  bool next_step_effects = true;
  /// Random effects: a rater x competency effect (what many-facet Rasch
  /// software calls a bias or interaction analysis), when some rater rates
  /// some competency for two or more ratees: a rater who sets one
  /// competency's bar higher or lower than their own overall severity
  /// predicts.  Judged like severities (flag_threshold, false-discovery
  /// control over every judged rater x competency pair; a pair needs
  /// min_ratings_to_judge ratings of min_ratees_to_judge ratees).
  bool rater_competency_effects = true;
  /// Random effects: the largest cost of one sparse factorisation
  /// (multiply-adds, mixed_model::factorisation_work) the fit accepts with
  /// rater x competency effects.  Above it -- many raters who share many
  /// ratees across competencies, where those effects make the factor dense
  /// -- the fit leaves them out and rater_competency_note says so.
  double max_factorisation_work = 2e8;
  /// Random effects: from this many kept ratings on, the fit first samples
  /// about one ratee in eight (all their ratings, every rater).  A pilot
  /// fit on the sample (itself started from a pilot on one ratee in eight
  /// of the sample when that has 100,000 ratings or more) gives the full
  /// fit its starting point, and the sample's factorisation cost with rater
  /// x competency effects is checked against max_factorisation_work before
  /// the full model's (a sample over the budget settles it).  From a
  /// pilot's start the fit stops once the further gain it predicts is below
  /// 1e-10 of the criterion (rather than 1e-13): theta then lies within
  /// about 1e-4 of the exact optimum, far inside its standard error.  The
  /// estimates do not depend on it beyond those tolerances.
  std::size_t pilot_min_ratings = 200000;
  double confidence = 0.95;
  /// |severity| in levels from which a rater is called lenient or harsh
  /// (the practical threshold).  Random effects: see false_discovery_rate.
  /// Fixed effects: the confidence interval must also exclude 0.
  double flag_threshold = 0.5;
  /// Random effects: lenient/harsh flags are the largest set of judged
  /// raters whose average posterior probability of NOT being beyond the
  /// threshold (on the side of their estimate) is at most this rate -- the
  /// posterior expected share of false flags (docs/severity.md).
  double false_discovery_rate = 0.05;
  /// Raters with fewer kept ratings, or fewer distinct ratees, are "too
  /// few ratings to judge": they keep their estimate but are never called
  /// lenient or harsh.
  std::size_t min_ratings_to_judge = 5;
  std::size_t min_ratees_to_judge = 2;
  /// Raters with fewer kept ratings get no distribution-based flag
  /// (central-tendency, range-restriction, non-discriminating, halo).
  std::size_t min_ratings_for_flags = 10;
  /// ... and with fewer distinct ratees no non-discriminating or halo flag.
  std::size_t min_ratees_for_flags = 3;
  /// central-tendency: at least this share of the rater's ratings at the
  /// middle level(s) of the scale AND an SD at most central_sd_ratio times
  /// the SD of all ratings of the same ratees.
  double central_share = 0.7;
  double central_sd_ratio = 0.6;
  /// range-restriction: the rater uses at most this many distinct levels
  /// while the ratings of the same ratees by everyone use more.
  std::size_t range_max_levels = 2;
  /// non-discriminating: the SD of the rater's per-ratee means is at most
  /// this share of the SD of those ratees' means over all their ratings.
  double nondiscriminating_ratio = 0.3;
  /// halo: mean within-ratee SD across competencies at most halo_sd_ratio
  /// times the median of that value over raters, AND the first principal
  /// component's share of the rater's (ratee, period) x competency matrix at
  /// least halo_pc1_share.
  double halo_sd_ratio = 0.5;
  double halo_pc1_share = 0.8;
  /// Exact standard errors (pseudo-inverse of the information matrix) when
  /// the model has at most this many severity, competency and period
  /// parameters; above it, the per-element approximation (docs/severity.md).
  std::size_t exact_se_max_parameters = 2000;
  severity_solver solver = severity_solver::automatic;
  /// Conjugate-gradient stopping rule for large designs.
  double tolerance = 1e-10;
  std::size_t max_iterations = 10000;
  /// The sparse solver stores one entry per pair of raters sharing a
  /// ratee; designs with more such entries (e.g. hundreds of raters on
  /// every ratee) use the matrix-free solver, which stores nothing.
  std::size_t max_sparse_entries = std::size_t{1} << 25;

  void validate() const;
};

/// A rater's bias on one competency beyond their overall severity (random
/// effects with rater_competency_effects).
struct rater_competency_bias {
  std::uint32_t rater = 0;       // table rater id
  std::uint32_t competency = 0;  // framework competency index
  /// Posterior mean in levels, the sign of severity: > 0, this rater rates
  /// the competency lower (sets its bar higher) than their overall severity
  /// predicts; < 0, higher.  `sd` is its posterior SD.
  double bias = 0, sd = 0;
  std::size_t n_ratings = 0, n_ratees = 0;
  bool judged = false;            // enough ratings of enough ratees
  double null_probability = 1.0;  // as rater_severity::null_probability
  bool flagged = false;           // beyond the threshold under false-discovery control
};

/// One rater's severity and diagnostics.
struct rater_severity {
  std::uint32_t rater = 0;
  /// Severity in levels (> 0 harsh: the rater's levels come out lower).
  /// Random effects: posterior mean, `se` the posterior SD and the interval
  /// a normal credible interval; fixed effects: estimate, SE, t interval.
  double severity = 0, se = 0, ci_low = 0, ci_high = 0;
  std::size_t component = 0, n_ratings = 0, n_ratees = 0;
  /// Enough ratings and ratees to be called lenient or harsh at all
  /// (severity_options::min_ratings_to_judge, min_ratees_to_judge).
  bool judged = true;
  /// Random effects: posterior probability that |severity| is below the
  /// flag threshold on the side of the estimate (the rater's local false
  /// discovery rate); NaN for the fixed-effects model.
  double null_probability = 0;

  // Diagnostics (NaN when undefined).
  double mean_level = 0;       // mean of the rater's levels
  double sd_level = 0;         // their sample SD
  double pooled_sd_level = 0;  // SD of all kept ratings of the rater's ratees, by every rater
  double sd_ratio = 0;         // sd_level / pooled_sd_level
  double middle_share = 0;     // share of the rater's ratings at the middle level(s) of the scale
  std::size_t levels_used = 0;         // distinct levels the rater gave
  std::size_t pooled_levels_used = 0;  // distinct levels all raters gave the rater's ratees
  double ratee_mean_sd = 0;            // SD of the rater's per-ratee mean levels
  double pooled_ratee_mean_sd = 0;     // SD of the same ratees' means over all their ratings
  double discrimination_ratio = 0;     // ratee_mean_sd / pooled_ratee_mean_sd
  double halo_within_sd = 0;   // mean over (ratee, period) of the SD of the rater's levels across competencies
  double halo_sd_ratio = 0;    // halo_within_sd / median of halo_within_sd over raters
  double halo_pc1_share = 0;   // first principal component share of the rater's (ratee, period) x competency matrix
  double fit_mean_square = 0;  // mean squared residual of the rater's ratings / residual variance

  /// In the order of rater_flag; to_string gives the stable ids.
  std::vector<rater_flag> flags;
};

/// A competency or period effect.
struct facet_effect {
  std::uint32_t id = 0;  // competency index or table period id
  double estimate = 0, se = 0;
  std::size_t n_ratings = 0;
};

struct severity_fit {
  /// False when the data cannot support the model (no ratings, no residual
  /// degrees of freedom); `reason` then says why and the tables are empty.
  bool available = false;
  std::string reason;
  severity_model model = severity_model::random_effects;
  /// Random effects: the REML variance components (levels squared) of
  /// raters, ratees and ratee x competency (0 when that effect is left
  /// out); NaN for the fixed-effects model.
  double rater_variance = 0, ratee_variance = 0, ratee_competency_variance = 0;
  /// Raters judged, and flagged lenient or harsh, under these settings.
  std::size_t raters_judged = 0, raters_flagged = 0;
  double flag_threshold = 0.5, false_discovery_rate = 0.05;

  /// One per rater with kept ratings, ascending rater id.
  std::vector<rater_severity> raters;
  /// Ratee effects (mean-centred over ratees), by ascending ratee id.
  std::vector<std::uint32_t> ratees;
  std::vector<double> ratee_effects;
  /// Random effects only (empty otherwise): the ratee effects' posterior
  /// SDs, and the ratee x competency effects and their posterior SDs (rows
  /// follow `ratees`, columns the framework's competencies; NaN where the
  /// ratee has no kept rating of the competency, 0 where the effect is left
  /// out of the model).
  std::vector<double> ratee_effect_sd;
  Eigen::MatrixXd ratee_competency_effects, ratee_competency_sd;
  /// Random effects with rater_competency_effects: the rater x competency
  /// variance and every (rater, competency) pair's bias, by rater id then
  /// competency; how many pairs were judged and flagged.
  double rater_competency_variance = 0;
  /// Why the rater x competency effects were left out of a random-effects
  /// fit that asked for them (empty when they were fitted or not asked for).
  std::string rater_competency_note;
  std::vector<rater_competency_bias> competency_biases;
  std::size_t biases_judged = 0, biases_flagged = 0;
  /// Random effects with next_step_effects: the variance of the ratee x
  /// next-step effect and, per cell (layout as ratee_competency_effects,
  /// 0 where the model has no such effect), the person's own contrast
  /// between the cell's next-step group and all their ratings (their mean
  /// deviation over the group's ratings minus their mean deviation over
  /// every rating, each deviation being the rating minus the fixed part,
  /// the rater, the ratee and the ratee x competency effect: what their own
  /// ratings say, not shrunk), the number of ratings in the group and in all, and 1 where
  /// the next step raises the competency (0 otherwise).  Fair scores use
  /// the contrast: the shape of a person's profile between the two groups
  /// is theirs, while their overall level stays shrunk.
  double next_step_variance = 0;
  Eigen::MatrixXd ratee_step_own, ratee_step_count, ratee_step_raised, ratee_step_total;
  /// Per ratee (following `ratees`), how far their own ratings put their
  /// overall level above the shrunken ratee effect: their mean deviation
  /// over all their ratings, unpooled, minus the ratee effect.
  std::vector<double> ratee_own_offset;
  /// Random effects only: the fixed profile -- the mean level per
  /// competency (columns) at the average period, one row per career level
  /// when profile_by_career_level (NaN where no kept rating), else a single
  /// row -- and its SEs.
  bool profile_by_career_level = false;
  Eigen::MatrixXd profile_mean, profile_se;
  /// Competencies and periods with kept ratings; estimates sum to zero.
  std::vector<facet_effect> competency_effects;
  std::vector<facet_effect> period_effects;
  double mu = 0;
  double residual_sd = 0;
  std::size_t n_ratings = 0;
  std::size_t dof = 0;  // residual degrees of freedom
  /// "exact: ..." or "approximate: ..." (docs/severity.md).
  std::string se_method;
  std::string solver;          // how the normal equations were solved
  std::size_t iterations = 0;  // conjugate-gradient iterations (0 for the direct solve)
  bool converged = true;
  double confidence = 0.95;
  rater_network network;
  ratings_filter filter;  // the filter used (roles filled in)
  /// Position in `raters` by table rater id (rater_network::no_component
  /// for raters without kept ratings), and the size of the table's name
  /// tables, so that fair_scores() can check it gets the same table.
  std::vector<std::size_t> rater_position;
  std::size_t table_raters = 0, table_ratees = 0, table_periods = 0;

  /// The rater's severity record, if the rater had kept ratings.
  const rater_severity* find_rater(std::uint32_t rater) const;

  /// Severity-adjusted ("fair") scores per ratee x competency for one period (default: latest), with SEs.
  competency_scores fair_scores(const ratings_table& table, std::optional<std::uint32_t> period = std::nullopt) const;
};

severity_fit fit_severity(const ratings_table& table, const severity_options& options = {});

namespace detail {

/// The kept ratings regrouped for the model.  Raters, ratees,
/// competencies and periods get compact indices (in ascending table id);
/// rows are ordered by ratee, then period, then rater, then competency, so
/// that a ratee's rows -- and within them one rater's ratings of the ratee
/// in one period -- are contiguous.
///
/// Parameters of the reduced model (ratee effects eliminated): severities
/// 0..R-1, competency effects R..R+C-1, period effects R+C..R+C+P-1.  A
/// rating's design row z has -1 at its rater (severity lowers the level),
/// +1 at its competency and +1 at its period.
struct severity_design {
  std::vector<std::uint32_t> rater_ids, ratee_ids, competency_ids, period_ids;  // table ids by compact index
  std::vector<std::size_t> ratee_offsets;                                       // rows of ratee e
  std::vector<std::uint32_t> rater, competency, period;                         // compact, per row
  /// Per row, the ratee's career level (table ladder index) recorded on the
  /// rating, or ratings_table::no_id.
  std::vector<std::uint32_t> career_level;
  std::vector<double> level;
  bool period_effects = true;

  std::size_t rows() const { return level.size(); }
  std::size_t n_raters() const { return rater_ids.size(); }
  std::size_t n_ratees() const { return ratee_ids.size(); }
  std::size_t n_competencies() const { return competency_ids.size(); }
  std::size_t n_periods() const { return period_ids.size(); }
  std::size_t parameters() const { return n_raters() + n_competencies() + (period_effects ? n_periods() : 0); }

  /// The (up to three) parameters of row i and their signs in z.
  int entries(std::size_t i, std::size_t (&index)[3], double (&sign)[3]) const;
  double predict(const Eigen::VectorXd& x, std::size_t i) const;
  void add(Eigen::VectorXd& out, std::size_t i, double value) const;
};

severity_design make_severity_design(const ratings_table& table, const ratings_filter& filter,
                                            bool period_effects);

/// out = S x, where S is the information matrix of the reduced model (the
/// ratee effects eliminated): every row's prediction is centred within its
/// ratee before being spread back onto the parameters.  Two passes over the
/// ratings, no matrix stored.
void apply_reduced_information(const severity_design& d, const Eigen::VectorXd& x, Eigen::VectorXd& out);

/// Unit vectors spanning the null space of S: one per component (its
/// raters), one for the competencies, one for the periods.  Returned as a
/// group id per parameter and the size of each group.
struct null_space_groups {
  std::vector<std::size_t> group_of;  // by parameter
  std::vector<std::size_t> size;      // by group
};

null_space_groups make_null_space_groups(const severity_design& d, const rater_network& network);

/// Subtracts the group means (projects onto the range of S, which is also
/// the sum-to-zero identification).
void centre_groups(Eigen::VectorXd& x, const null_space_groups& g);

/// Preconditioned (Jacobi) conjugate gradients on the consistent,
/// positive semi-definite system S x = b, with b in the range of S.
/// Returns (iterations, converged).
std::pair<std::size_t, bool> solve_reduced_cg(const severity_design& d, const Eigen::VectorXd& diagonal,
                                                     const Eigen::VectorXd& b, Eigen::VectorXd& x, double tolerance,
                                                     std::size_t max_iterations);

/// How a large design was solved.
struct iterative_solution {
  std::size_t iterations = 0;
  bool converged = false;
  std::string solver;
};

/// Builds the reduced information matrix S explicitly as a sparse matrix
/// and solves S x = b by conjugate gradients preconditioned with an
/// incomplete Cholesky factor (Eigen).  One effect per null-space group is
/// pinned at 0 (the first rater of every component, the first competency,
/// the first period), which makes the system positive definite; the caller
/// centres the groups afterwards.  The rater x rater block has one entry per
/// pair of raters sharing a ratee, so it costs the sum over ratees of
/// (raters of the ratee)^2 entries; beyond `max_entries` this returns
/// nothing and the caller falls back to the matrix-free solver.
std::optional<iterative_solution> solve_reduced_sparse(const severity_design& d,
                                                              const null_space_groups& groups,
                                                              const Eigen::VectorXd& b, Eigen::VectorXd& x,
                                                              double tolerance, std::size_t max_iterations,
                                                              std::size_t max_entries);

double sample_sd(double n, double sum, double sum_sq);

double ratio_or_nan(double numerator, double denominator);

/// Posterior probability that an effect with posterior N(mean, sd^2) lies
/// within `threshold` of 0 on the side of its mean: the chance that calling
/// it "beyond the threshold" is a false discovery (its local fdr).
double null_probability(double mean, double sd, double threshold);

/// Bayesian false-discovery-rate selection: the largest set of candidates,
/// taken in increasing order of null probability, whose mean null
/// probability is at most `rate`.  A selected mark per candidate.
std::vector<bool> select_discoveries(const std::vector<double>& null_probabilities, double rate);

/// Ratee codes (the design's compact ratee of every row) and ratee x
/// competency cells numbered in order of appearance, for the random-effects
/// models.  `replicated`: some ratee has two or more rows on one competency,
/// without which cell effects cannot be told apart from rating noise.
struct ratee_cells {
  std::vector<std::uint32_t> ratee_code, cell_code;  // per row
  std::vector<std::uint32_t> cell_ratee, cell_competency;  // per cell (compact ids)
  bool replicated = false;
};

ratee_cells make_ratee_cells(const severity_design& d);

/// Per row, the (ratee, group) the next-step effect applies to: group 1 for
/// the competencies whose expectation the ratee's on-track next step raises
/// (from the row's career level), group 0 for the others; compact codes.
struct next_step_grouping {
  std::vector<std::uint32_t> codes;
  std::vector<bool> raised;  // per row: the competency is raised by the next step
  std::size_t groups = 0;
};

next_step_grouping next_step_groups(const framework& fw, const severity_design& d, const ratee_cells& cells);

/// The distribution-based diagnostics of every rater (no model needed).
void rater_diagnostics(const severity_design& d, int n_levels, std::vector<rater_severity>& out);

}  // namespace detail

severity_fit fit_severity(const ratings_table& table, const severity_options& options);

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/severity-inl.hpp>
#endif
