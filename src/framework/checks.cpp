// Compiles the implementation of <calibra/framework/checks.hpp> once into the library.
#include <calibra/framework/checks-inl.hpp>
