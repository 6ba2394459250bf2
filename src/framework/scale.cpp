// Compiles the implementation of <calibra/framework/scale.hpp> once into the library.
#include <calibra/framework/scale-inl.hpp>
