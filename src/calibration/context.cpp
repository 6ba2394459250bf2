// Compiles the implementation of <calibra/calibration/context.hpp> once into the library.
#include <calibra/calibration/context-inl.hpp>
