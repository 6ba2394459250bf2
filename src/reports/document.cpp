// Compiles the implementation of <calibra/reports/document.hpp> once into the library.
#include <calibra/reports/document-inl.hpp>
