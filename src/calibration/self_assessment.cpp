// Compiles the implementation of <calibra/calibration/self_assessment.hpp> once into the library.
#include <calibra/calibration/self_assessment-inl.hpp>
