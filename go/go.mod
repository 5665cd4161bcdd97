module github.com/libverifier/libverifier/go

go 1.25.0
