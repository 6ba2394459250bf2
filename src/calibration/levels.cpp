// Compiles the implementation of <calibra/calibration/levels.hpp> once into the library.
#include <calibra/calibration/levels-inl.hpp>
