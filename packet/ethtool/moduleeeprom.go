package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// The ETHTOOL_A_MODULE_EEPROM_* attributes (ethtool_netlink_generated.h),
// which golang.org/x/sys/unix does not have, and the I2C address of a
// module's lower memory (ETH_I2C_ADDRESS_LOW, SFF-8472's A0h).
const (
	moduleEEPROMOffset     = 2
	moduleEEPROMLength     = 3
	moduleEEPROMPage       = 4
	moduleEEPROMBank       = 5
	moduleEEPROMI2CAddress = 6
	moduleEEPROMData       = 7

	i2cAddressLow = 0x50
)

// ModuleEEPROM is ETHTOOL_MSG_MODULE_EEPROM_GET: bytes of a plug-in
// module's EEPROM (an SFP or QSFP's), as `ethtool -m DEV offset N length
// M` reads them. The request says where: offset (0-255) and length
// (1-128) within the 256-byte window of page, bank and i2c_address:
// offsets 0-127 are the lower half, the same on every page, and offsets
// 128-255 the page's own, so a page other than 0 is read from offset 128
// on (ethtool -m DEV page 3 reads offset 128, length 128); the kernel
// refuses a lower-half read of another page with EINVAL. Left out, the request
// reads the first 128 bytes of page 0, bank 0 at I2C address 0x50, where
// every module has its identifier. The reply's data holds the bytes.
var ModuleEEPROM = func() *genl.Operation {
	get := withRequest(op("module_eeprom", unix.ETHTOOL_MSG_MODULE_EEPROM_GET,
		"bytes of a plug-in module's EEPROM, as ethtool -m reads them; by default the first 128 bytes of page 0 "+
			"at I2C address 0x50, and a page other than 0 from offset 128",
		schema.Attr{Type: moduleEEPROMData, Name: "data", Kind: schema.Binary, Doc: "the bytes read"},
	),
		u32(moduleEEPROMOffset, "offset", "where to start, 0-255; from 128 in the page"),
		u32(moduleEEPROMLength, "length", "how many bytes, 1-128"),
		u8(moduleEEPROMPage, "page", "the page of the upper half"),
		u8(moduleEEPROMBank, "bank", "the bank of the page (CMIS)"),
		u8(moduleEEPROMI2CAddress, "i2c_address", "the I2C address, 0x50 or 0x51 (SFF-8472 diagnostics)"),
	)
	get.Defaults = schema.Fields{"offset": 0, "length": 128, "page": 0, "bank": 0, "i2c_address": i2cAddressLow}
	return get
}()
