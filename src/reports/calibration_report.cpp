// Compiles the implementation of <calibra/reports/calibration_report.hpp> once into the library.
#include <calibra/reports/calibration_report-inl.hpp>
