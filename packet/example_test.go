package packet_test

import (
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// Encoding a request, then reading it back as the kernel would.
func ExampleEncoder() {
	var e packet.Encoder
	e.BeginMessage(unix.RTM_NEWLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	e.Grow(unix.SizeofIfInfomsg)
	e.String(unix.IFLA_IFNAME, "dummy0")
	info := e.BeginNested(unix.IFLA_LINKINFO)
	e.String(unix.IFLA_INFO_KIND, "dummy")
	e.EndNested(info)
	e.EndMessage()

	for s := packet.NewMessageScanner(e.Bytes()); s.Next(); {
		m := s.Message()
		fmt.Println("message", m.Header.Type, "of", m.Header.Len, "bytes")
		for a := packet.NewAttrScanner(m.Data[unix.SizeofIfInfomsg:]); a.Next(); {
			at := a.Attr()
			switch at.Type {
			case unix.IFLA_IFNAME:
				fmt.Println("name", at.String())
			case unix.IFLA_LINKINFO:
				for in := at.Attrs(); in.Next(); {
					fmt.Println("kind", in.Attr().String(), "nested:", at.Nested)
				}
			}
		}
	}
	// Output:
	// message 16 of 60 bytes
	// name dummy0
	// kind dummy nested: true
}

// Decoding the kernel's answer to a request that failed, as the package
// example does.
func ExampleParseError() {
	// A capped NLMSG_ERROR with an extended ACK: EEXIST and a message.
	code := -int32(unix.EEXIST)
	reply := make([]byte, packet.HeaderLen)                       // the header, written below
	reply = binary.NativeEndian.AppendUint32(reply, uint32(code)) // the errno, negative
	reply = append(reply, make([]byte, packet.HeaderLen)...)      // the request's header
	reply = append(reply, 11, 0, unix.NLMSGERR_ATTR_MSG, 0, 'E', 'x', 'i', 's', 't', 's', 0, 0)
	packet.PutHeader(reply, unix.NlMsghdr{Len: uint32(len(reply)), Type: unix.NLMSG_ERROR,
		Flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS})

	for s := packet.NewMessageScanner(reply); s.Next(); {
		m := s.Message()
		switch m.Header.Type {
		case unix.NLMSG_DONE:
			// end of a dump
		case unix.NLMSG_ERROR:
			e, err := packet.ParseError(m)
			if err != nil {
				fmt.Println("malformed:", err)
				continue
			}
			fmt.Println(e)
			fmt.Println(errors.Is(e, unix.EEXIST))
		}
	}
	// Output:
	// EEXIST (file exists): Exists
	// true
}
