// An external module that embeds byocpack as its users would: it may import
// only the public packages (the compiler refuses internal/ across modules).
// TestExternalModuleEmbedsTheLibrary copies it, points the replace
// directive at this checkout and builds it offline.
module example.com/embedder

go 1.26.8

require github.com/byocpack/byocpack v0.0.0

replace github.com/byocpack/byocpack => ../../..
