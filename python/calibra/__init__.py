"""calibra: competency frameworks, inter-rater agreement and rating calibration, for notebooks.

>>> import calibra
>>> fw = calibra.builtin_framework()
>>> fw.expectations            # career levels x competencies, as a DataFrame
>>> calibra.agree(ratings, "krippendorff", level="ordinal")
>>> report = calibra.calibrate(calibra.read_ratings("ratings.csv"))
>>> report.raters              # rater severities, as a DataFrame
>>> calibra.data.reference("fleiss1971_diagnoses")   # bundled data sets

The names mirror the ``calibra`` command line: ``calibra framework check``
is ``fw.check()``, ``calibra agree FILE --stat gwet --weights quadratic`` is
``calibra.agree(data, "gwet", weights="quadratic")``.  Errors are
``calibra.Error`` subclasses carrying the C++ library's messages.
"""

from __future__ import annotations

from calibra._core import __version__
from calibra.agreement import (
    OPTIONS,
    STATISTICS,
    AgreementResult,
    AgreementSummary,
    PairwiseResult,
    agree,
    brennan_prediger,
    cohen_kappa,
    confusion,
    conger_kappa,
    fleiss_kappa,
    gwet_ac,
    icc,
    krippendorff_alpha,
    light_kappa,
    pairwise,
    per_category,
    percent_agreement,
    read_wide_csv,
    scott_pi,
    unanimous_agreement,
    wide_ratings,
    within_agreement,
)
from calibra.calibration import CalibrationResult, Ratings, calibrate, example_ratings, read_ratings
from calibra.reports import Report, report
from calibra.errors import DataWarning, DegenerateError, Error, InvalidArgument, ParseError, ValidationError
from calibra.framework import (
    ExpectationMatrix,
    Finding,
    Findings,
    Framework,
    builtin_framework,
    check_rules,
    init,
    load_framework,
    parse_framework,
)
from calibra import data

__all__ = [
    "OPTIONS",
    "STATISTICS",
    "AgreementResult",
    "AgreementSummary",
    "CalibrationResult",
    "DataWarning",
    "DegenerateError",
    "Error",
    "ExpectationMatrix",
    "Finding",
    "Findings",
    "Framework",
    "InvalidArgument",
    "PairwiseResult",
    "ParseError",
    "Ratings",
    "Report",
    "ValidationError",
    "__version__",
    "agree",
    "brennan_prediger",
    "builtin_framework",
    "calibrate",
    "check_rules",
    "cohen_kappa",
    "confusion",
    "conger_kappa",
    "data",
    "example_ratings",
    "fleiss_kappa",
    "gwet_ac",
    "icc",
    "init",
    "krippendorff_alpha",
    "light_kappa",
    "load_framework",
    "pairwise",
    "parse_framework",
    "per_category",
    "percent_agreement",
    "read_ratings",
    "read_wide_csv",
    "report",
    "scott_pi",
    "unanimous_agreement",
    "wide_ratings",
    "within_agreement",
]
