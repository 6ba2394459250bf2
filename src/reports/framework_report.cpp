// Compiles the implementation of <calibra/reports/framework_report.hpp> once into the library.
#include <calibra/reports/framework_report-inl.hpp>
