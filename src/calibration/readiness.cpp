// Compiles the implementation of <calibra/calibration/readiness.hpp> once into the library.
#include <calibra/calibration/readiness-inl.hpp>
