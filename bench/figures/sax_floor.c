/* bench/figures: the floor under `lostdata figures count` — libxml2's SAX2 parse of each file
 * with the reader's options and handlers that do nothing.
 *
 * Why: it separates what libxml2 costs (which no change to lostdata's own code can remove) from
 * what lostdata adds (walking, caption analysis, JSON). Same set-up as JATSReader: push parser
 * given the whole file in one chunk, XML_PARSE_NONET | NOCDATA | NOWARNING | NOERROR, no tree.
 * Build: cc -O2 sax_floor.c $(pkg-config --cflags --libs libxml-2.0) -o sax_floor
 * Usage: sax_floor FILE...   (exit status 1 if any file is not well-formed)
 */
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void start(void *c, const xmlChar *l, const xmlChar *p, const xmlChar *u, int nn, const xmlChar **ns,
                  int na, int nd, const xmlChar **a) {}
static void end(void *c, const xmlChar *l, const xmlChar *p, const xmlChar *u) {}
static void text(void *c, const xmlChar *b, int n) {}
static void reference(void *c, const xmlChar *n) {}
static void error(void *c, xmlErrorPtr e) {}

int main(int argc, char **argv) {
    int status = 0;
    xmlInitParser();
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) { status = 1; continue; }
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *buf = malloc(size > 0 ? size : 1);
        size_t got = fread(buf, 1, size, f);
        fclose(f);
        xmlSAXHandler h;
        memset(&h, 0, sizeof h);
        xmlSAXVersion(&h, 2);
        h.startElementNs = start;
        h.endElementNs = end;
        h.characters = text;
        h.ignorableWhitespace = text;
        h.cdataBlock = text;
        h.reference = reference;
        h.comment = NULL;
        h.processingInstruction = NULL;
        h.startElement = NULL;
        h.endElement = NULL;
        h.serror = error;
        xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&h, NULL, NULL, 0, argv[i]);
        xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
        xmlParseChunk(ctxt, buf, (int)got, 1);
        if (!ctxt->wellFormed) { fprintf(stderr, "not well-formed: %s\n", argv[i]); status = 1; }
        if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
        xmlFreeParserCtxt(ctxt);
        free(buf);
    }
    return status;
}
