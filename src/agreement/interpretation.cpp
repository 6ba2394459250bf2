// Compiles the implementation of <calibra/agreement/interpretation.hpp> once into the library.
#include <calibra/agreement/interpretation-inl.hpp>
