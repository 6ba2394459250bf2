// Verbal labels for agreement coefficients.
//
// A label is a reading aid printed next to a value, never a replacement
// for it: the bands are conventions, they ignore the confidence interval,
// and the same kappa means different things for different prevalence.
//
//   value            Landis & Koch (1977)   Altman (1991)
//   below 0          poor                   poor
//   0    .. 0.20     slight                 poor
//   0.21 .. 0.40     fair                   fair
//   0.41 .. 0.60     moderate               moderate
//   0.61 .. 0.80     substantial            good
//   0.81 .. 1        almost perfect         very good
//
// Intraclass correlations get Koo & Li's (2016) bands instead: below 0.5
// poor, 0.5 .. 0.75 moderate, 0.75 .. 0.9 good, above 0.9 excellent (each
// band includes its lower edge).  Krippendorff's alpha gets Krippendorff's
// own (2004, Content Analysis, 2nd ed., p. 241): alpha >= 0.800 reliable,
// 0.667 <= alpha < 0.800 tentative (conclusions drawn only tentatively),
// below 0.667 unreliable.  Raw agreement rates (percent, unanimous,
// within) get no label: they are not chance-corrected, and the kappa bands
// would flatter them.
//
// The published kappa bands are written with two decimals and leave gaps
// (0.20 .. 0.21); here each band runs up to and including its upper edge,
// so 0.205 is "fair" and 0.20 is "slight".  Edges are compared with a
// tolerance of 1e-9 so that a value computed as 0.6000000000000001 gets
// the band of 0.60.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/options.hpp>

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace calibra::agreement {

enum class interpretation_scale { landis_koch, altman, koo_li, krippendorff };

std::string_view to_string(interpretation_scale scale);

/// A verbal label and the convention it comes from.
struct interpretation {
  std::string_view label;
  interpretation_scale scale;
};

namespace detail {

inline constexpr double band_edge_tolerance = 1e-9;

/// Upper edges (inclusive) and labels; anything below 0 is the first label.
using band_table = std::array<std::pair<double, std::string_view>, 6>;

inline constexpr band_table landis_koch_bands{{{0.0, "poor"},
                                               {0.20, "slight"},
                                               {0.40, "fair"},
                                               {0.60, "moderate"},
                                               {0.80, "substantial"},
                                               {1.0, "almost perfect"}}};

inline constexpr band_table altman_bands{{{0.0, "poor"},
                                          {0.20, "poor"},
                                          {0.40, "fair"},
                                          {0.60, "moderate"},
                                          {0.80, "good"},
                                          {1.0, "very good"}}};

std::optional<std::string_view> band_label(double value, const band_table& bands);

}  // namespace detail

/// Landis & Koch (1977) label of an agreement value; empty for NaN or for a
/// value above 1 (not an agreement coefficient).
std::optional<std::string_view> landis_koch_label(double value);

/// Altman (1991) label of an agreement value; empty for NaN or above 1.
std::optional<std::string_view> altman_label(double value);

/// Koo & Li (2016) label of an intraclass correlation; empty for NaN or above 1.
std::optional<std::string_view> koo_li_label(double value);

/// Krippendorff (2004) label of an alpha: reliable, tentative or unreliable;
/// empty for NaN or above 1.
std::optional<std::string_view> krippendorff_label(double value);

std::optional<std::string_view> interpret(double value,
                                                 interpretation_scale scale = interpretation_scale::landis_koch);

/// The label of a result's value, on the convention that fits its
/// statistic: `kappa_scale` for chance-corrected coefficients, Koo & Li for
/// ICC, Krippendorff's for alpha, none for raw agreement rates or a result
/// without a value.
std::optional<interpretation> interpret(const result& r,
                                               interpretation_scale kappa_scale = interpretation_scale::landis_koch);

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/interpretation-inl.hpp>
#endif
