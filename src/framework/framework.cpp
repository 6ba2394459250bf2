// Compiles the implementation of <calibra/framework/framework.hpp> once into the library.
#include <calibra/framework/framework-inl.hpp>
