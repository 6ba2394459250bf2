// Compiles the implementation of <calibra/agreement/detail/inference.hpp> once into the library.
#include <calibra/agreement/detail/inference-inl.hpp>
