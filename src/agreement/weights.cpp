// Compiles the implementation of <calibra/agreement/weights.hpp> once into the library.
#include <calibra/agreement/weights-inl.hpp>
