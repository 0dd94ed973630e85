// The parts of libcurl the HTTPClient target uses.
//
// `curl_easy_setopt` and `curl_easy_getinfo` are variadic C functions, which Swift cannot call;
// these typed wrappers are the only way in. Each names the type of the value it passes, so a
// Swift caller cannot hand a string where libcurl reads a long (undefined behaviour in C).
#include <curl/curl.h>

typedef size_t (*lostdata_curl_data_callback)(char *, size_t, size_t, void *);

static inline CURLcode lostdata_curl_set_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode lostdata_curl_set_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode lostdata_curl_set_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode lostdata_curl_set_list(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode lostdata_curl_set_callback(CURL *h, CURLoption o, lostdata_curl_data_callback v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode lostdata_curl_get_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode lostdata_curl_get_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
