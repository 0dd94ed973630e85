#if canImport(Glibc)
import Glibc
#endif

/// Gives the memory that the process freed back to the system (glibc's `malloc_trim`).
///
/// glibc keeps freed memory in its arenas for the next allocation, one arena per thread that
/// allocated, and returns only the top of each heap on its own. A phase that frees a lot before
/// another allocates a lot (a cursor walk, then the article-list rebuild) then peaks at both
/// together. `malloc_trim` is not in Swift's Glibc module (it is declared in <malloc.h>), so it
/// is looked up by name; elsewhere, or where it is missing, this does nothing.
enum ReturnFreeMemory {
    static func now() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
