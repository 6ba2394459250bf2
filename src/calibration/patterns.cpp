// Compiles the implementation of <calibra/calibration/patterns.hpp> once into the library.
#include <calibra/calibration/patterns-inl.hpp>
