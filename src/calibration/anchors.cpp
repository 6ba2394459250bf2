// Compiles the implementation of <calibra/calibration/anchors.hpp> once into the library.
#include <calibra/calibration/anchors-inl.hpp>
