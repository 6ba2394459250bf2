// Compiles the implementation of <calibra/framework/documents.hpp> once into the library.
#include <calibra/framework/documents-inl.hpp>
