// Every file of this test target sees TestSupport (CLI, ReplayServer, BrowserTools, …) without
// importing it: they were sources of this target before TestSupport held them, and test files
// written against them then must keep compiling as they are.
@_exported import TestSupport
