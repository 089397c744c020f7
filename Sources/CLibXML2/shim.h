// libxml2 for Swift. Debian builds libxml2 with ICU, and its encoding.h then includes ICU's own
// headers, which clash with Foundation's copy of ICU when both are imported. orderflow never uses
// libxml2's ICU converters (or the encoding handler's fields), so the ICU part is left out here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
