// Compiles the implementation of <calibra/framework/quadrant.hpp> once into the library.
#include <calibra/framework/quadrant-inl.hpp>
