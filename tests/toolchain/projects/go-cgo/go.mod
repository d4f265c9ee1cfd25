module muslxb.test/cgo

go 1.16
