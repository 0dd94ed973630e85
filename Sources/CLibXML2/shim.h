// The parts of libxml2 the Figures stage uses: the SAX2 push parser, parser options and errors.
//
// Debian builds libxml2 with ICU, so its headers pull in the system's <unicode/*.h>, which clash
// with the ICU copy bundled in swift-corelibs-foundation ("UErrorCode … is not present in
// definition"). Nothing here needs ICU: read the version header, switch the ICU flag off, then
// include the rest (only xmlCharEncodingHandler's layout depends on it, and we never touch it).
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/SAX2.h>
