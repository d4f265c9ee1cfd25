// Check 14: a cgo program linked externally and statically by the musl gcc.
package main

/*
#cgo LDFLAGS: -lz
#include <stdlib.h>
#include <zlib.h>
#include "helper.h"
*/
import "C"

import (
	"fmt"
	"os"
	"unsafe"
)

func main() {
	if got := C.helper_add(40, 2); got != 42 {
		fmt.Println("helper_add:", got)
		os.Exit(1)
	}
	s := C.CString("hello")
	defer C.free(unsafe.Pointer(s))
	crc := C.crc32(0, (*C.Bytef)(unsafe.Pointer(s)), 5)
	if crc != 0x3610a686 {
		fmt.Printf("crc32: %x\n", uint64(crc))
		os.Exit(1)
	}
	fmt.Printf("cgo ok %d %s\n", C.helper_add(40, 2), C.GoString(C.helper_libc()))
}
