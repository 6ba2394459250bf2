// Compiles the implementation of <calibra/calibration/decision_study.hpp> once into the library.
#include <calibra/calibration/decision_study-inl.hpp>
