// Compiles the implementation of <calibra/agreement/options.hpp> once into the library.
#include <calibra/agreement/options-inl.hpp>
