// Compiles the implementation of <calibra/calibration/drift.hpp> once into the library.
#include <calibra/calibration/drift-inl.hpp>
