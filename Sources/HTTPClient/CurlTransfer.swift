import CCurl
import Foundation

/// libcurl's process-wide set-up, done once before the first handle (it is not thread-safe,
/// so it must not race with a handle being made).
enum CurlGlobal {
    static let ready: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// One easy handle, reused transfer after transfer by one thread: libcurl keeps the
/// connection (and the TLS session) open between them, which is most of the cost of a page.
final class CurlTransfer {
    private let handle: UnsafeMutableRawPointer

    init?() {
        guard CurlGlobal.ready, let h = curl_easy_init() else { return nil }
        handle = h
    }

    deinit { curl_easy_cleanup(handle) }

    /// What one transfer collected through libcurl's callbacks.
    final class Sink {
        var body: [UInt8] = []
        var headers: [(String, String)] = []
        var limit: Int
        var overflow = false
        init(limit: Int) { self.limit = limit }
    }

    enum Outcome {
        case response(status: Int, finalURL: String, headers: [(String, String)], body: [UInt8])
        case failure(HTTPFailure.Kind, String)
    }

    func perform(_ request: HTTPRequest, settings: ClientSettings) -> Outcome {
        curl_easy_reset(handle)
        let h = handle
        let sink = Sink(limit: settings.maxBodyBytes)
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for (name, value) in request.headers { list = curl_slist_append(list, "\(name): \(value)") }
        defer { curl_slist_free_all(list) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { eb in
            _ = lostdata_curl_set_string(h, CURLOPT_URL, request.url)
            _ = lostdata_curl_set_pointer(h, CURLOPT_ERRORBUFFER, eb.baseAddress)
            // Only HTTP(S), also after a redirect: a Location must not lead to file:// or ftp://.
            _ = lostdata_curl_set_string(h, CURLOPT_PROTOCOLS_STR, "http,https")
            _ = lostdata_curl_set_string(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
            _ = lostdata_curl_set_long(h, CURLOPT_FOLLOWLOCATION, 1)
            _ = lostdata_curl_set_long(h, CURLOPT_MAXREDIRS, settings.maxRedirects)
            _ = lostdata_curl_set_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout * 1000))
            _ = lostdata_curl_set_long(h, CURLOPT_TIMEOUT_MS, Int(settings.totalTimeout * 1000))
            // "" = every encoding this libcurl decodes (gzip, deflate, br, zstd as built); the
            // body handed back is decoded.
            _ = lostdata_curl_set_string(h, CURLOPT_ACCEPT_ENCODING, "")
            // TLS verification is libcurl's default; set anyway so no earlier option can have
            // turned it off on this reused handle.
            _ = lostdata_curl_set_long(h, CURLOPT_SSL_VERIFYPEER, 1)
            _ = lostdata_curl_set_long(h, CURLOPT_SSL_VERIFYHOST, 2)
            // Timeouts with threads: no SIGALRM (libcurl would otherwise use signals for DNS).
            _ = lostdata_curl_set_long(h, CURLOPT_NOSIGNAL, 1)
            _ = lostdata_curl_set_string(h, CURLOPT_USERAGENT, settings.userAgent)
            // Proxies: libcurl reads http_proxy, https_proxy, all_proxy and no_proxy from the
            // environment by itself when CURLOPT_PROXY is not set, which it never is here.
            if list != nil { _ = lostdata_curl_set_list(h, CURLOPT_HTTPHEADER, list) }
            _ = lostdata_curl_set_callback(h, CURLOPT_WRITEFUNCTION, { data, size, count, context in
                let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
                let n = size * count
                if sink.body.count + n > sink.limit { sink.overflow = true; return 0 }
                data!.withMemoryRebound(to: UInt8.self, capacity: n) { sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
                return n
            })
            _ = lostdata_curl_set_pointer(h, CURLOPT_WRITEDATA, box.toOpaque())
            _ = lostdata_curl_set_callback(h, CURLOPT_HEADERFUNCTION, { data, size, count, context in
                let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
                let n = size * count
                let line = data!.withMemoryRebound(to: UInt8.self, capacity: n) { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) }
                // A new status line starts the headers of the next response (after a redirect
                // or a 100 Continue): only the final response's headers are kept.
                if line.hasPrefix("HTTP/") { sink.headers.removeAll(); return n }
                if let colon = line.firstIndex(of: ":") {
                    let name = line[..<colon].lowercased()
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                    sink.headers.append((name, value))
                }
                return n
            })
            _ = lostdata_curl_set_pointer(h, CURLOPT_HEADERDATA, box.toOpaque())
            return curl_easy_perform(h)
        }
        if code != CURLE_OK {
            let message = String(cString: errorBuffer.withUnsafeBufferPointer { $0.baseAddress! })
            let detail = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
            if sink.overflow { return .failure(.transport, "the body is larger than \(settings.maxBodyBytes) bytes") }
            return .failure(Self.kind(code), detail)
        }
        var status = 0
        _ = lostdata_curl_get_long(h, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>? = nil
        _ = lostdata_curl_get_string(h, CURLINFO_EFFECTIVE_URL, &effective)
        let finalURL = effective.map { String(cString: $0) } ?? request.url
        return .response(status: status, finalURL: finalURL, headers: sink.headers, body: sink.body)
    }

    static func kind(_ code: CURLcode) -> HTTPFailure.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dnsFailure
        case CURLE_COULDNT_CONNECT: return .connectionRefused
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_BAD_CONTENT_ENCODING: return .connectionReset
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE: return .tls
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects
        default: return .transport
        }
    }
}
