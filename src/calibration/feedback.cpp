// Compiles the implementation of <calibra/calibration/feedback.hpp> once into the library.
#include <calibra/calibration/feedback-inl.hpp>
