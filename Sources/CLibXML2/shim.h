// The parts of libxml2 the Figures stage uses: the pull parser and parser options.
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
