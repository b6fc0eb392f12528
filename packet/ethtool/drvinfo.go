package ethtool

import (
	"github.com/nlsh/nlsh/packet/schema"
)

// drvinfoStruct lays out struct ethtool_drvinfo (include/uapi/linux/ethtool.h),
// which the SIOCETHTOOL ioctl's ETHTOOL_GDRVINFO command fills.
var drvinfoStruct = &schema.StructDef{Name: "ethtool_drvinfo", Size: DrvInfoSize, Fields: []schema.Field{
	{Name: "cmd", Offset: 0, Kind: schema.U32, Hidden: true, Doc: "ETHTOOL_GDRVINFO"},
	{Name: "driver", Offset: 4, Kind: schema.String, Len: 32, Doc: "the driver's name"},
	{Name: "version", Offset: 36, Kind: schema.String, Len: 32, Doc: "the driver's version"},
	{Name: "firmware_version", Offset: 68, Kind: schema.String, Len: 32, Doc: "the firmware's version"},
	{Name: "bus_info", Offset: 100, Kind: schema.String, Len: 32, Doc: "where the device sits, e.g. a PCI address"},
	{Name: "expansion_rom_version", Offset: 132, Kind: schema.String, Len: 32, Doc: "the expansion ROM's version"},
	{Name: "n_priv_flags", Offset: 176, Kind: schema.U32, Doc: "how many private flags the driver has"},
	{Name: "n_stats", Offset: 180, Kind: schema.U32, Doc: "how many statistics ethtool -S reads"},
	{Name: "testinfo_len", Offset: 184, Kind: schema.U32, Doc: "how many results a self-test gives"},
	{Name: "eedump_len", Offset: 188, Kind: schema.U32, Doc: "the EEPROM's size, in bytes"},
	{Name: "regdump_len", Offset: 192, Kind: schema.U32, Doc: "the register dump's size, in bytes"},
}}

// DrvInfoSize is the size of struct ethtool_drvinfo.
const DrvInfoSize = 196

// supports is a computed field that is true when the count called name
// is not zero, as `ethtool -i` prints "supports-...: yes".
func supports(field, count, doc string) schema.Computed {
	return schema.Computed{Name: field, Doc: doc, Get: func(v *schema.View) (any, bool) {
		n, ok, err := v.Get(count)
		if !ok || err != nil {
			return nil, false
		}
		u, _ := n.(uint64)
		return u != 0, true
	}}
}

// DrvInfo is what `ethtool -i` prints: the driver, its version, the
// firmware's, the bus address, and what the driver supports. It has no
// netlink message: its bytes are a struct ethtool_drvinfo, filled by the
// SIOCETHTOOL ioctl (ETHTOOL_GDRVINFO), and decode with schema.Decode.
var DrvInfo = &schema.Message{
	Name:   "drvinfo",
	Header: drvinfoStruct,
	Attrs:  schema.NewAttrSet("drvinfo"),
	Doc:    "the driver and firmware of a device, as ethtool -i prints them",
	Computed: []schema.Computed{
		supports("supports_statistics", "n_stats", "whether ethtool -S has statistics"),
		supports("supports_test", "testinfo_len", "whether the device has a self-test"),
		supports("supports_eeprom_access", "eedump_len", "whether its EEPROM can be read"),
		supports("supports_register_dump", "regdump_len", "whether its registers can be dumped"),
		supports("supports_priv_flags", "n_priv_flags", "whether the driver has private flags"),
	},
}
