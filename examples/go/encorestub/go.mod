module encore.dev

go 1.25.0
