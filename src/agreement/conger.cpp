// Compiles the implementation of <calibra/agreement/conger.hpp> once into the library.
#include <calibra/agreement/conger-inl.hpp>
