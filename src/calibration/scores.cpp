// Compiles the implementation of <calibra/calibration/scores.hpp> once into the library.
#include <calibra/calibration/scores-inl.hpp>
