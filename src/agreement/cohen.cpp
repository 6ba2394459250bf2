// Compiles the implementation of <calibra/agreement/cohen.hpp> once into the library.
#include <calibra/agreement/cohen-inl.hpp>
