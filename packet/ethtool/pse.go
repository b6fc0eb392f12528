package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// The ETHTOOL_A_PSE_*, ETHTOOL_A_PODL_PSE_*, ETHTOOL_A_C33_PSE_* and
// ETHTOOL_A_C33_PSE_PW_LIMIT_* attributes (ethtool_netlink_generated.h),
// and the values of the PoDL and clause 33 PSE enums
// (include/uapi/linux/ethtool.h), Linux 6.18, which golang.org/x/sys/unix
// does not have.
const (
	podlPSEAdminState    = 2
	podlPSEAdminControl  = 3
	podlPSEPwDStatus     = 4
	c33PSEAdminState     = 5
	c33PSEAdminControl   = 6
	c33PSEPwDStatus      = 7
	c33PSEPwClass        = 8
	c33PSEActualPw       = 9
	c33PSEExtState       = 10
	c33PSEExtSubstate    = 11
	c33PSEAvailPwLimit   = 12
	c33PSEPwLimitRanges  = 13
	psePwDID             = 14
	psePrioMax           = 15
	psePrio              = 16
	c33PSEPwLimitMin     = 1
	c33PSEPwLimitMax     = 2
	pseAdminUnknown      = 1
	pseAdminDisabled     = 2
	pseAdminEnabled      = 3
	pwDStatusUnknown     = 1
	pwDStatusDisabled    = 2
	pwDStatusSearching   = 3
	pwDStatusDelivering  = 4
	podlPwDStatusSleep   = 5
	podlPwDStatusIdle    = 6
	podlPwDStatusError   = 7
	c33PwDStatusTest     = 5
	c33PwDStatusFault    = 6
	c33PwDStatusOthFault = 7
)

// PSEAdminState names a PSE's administrative state, PoDL or clause 33.
var PSEAdminState = schema.NewEnum("pse_admin_state", map[uint64]string{
	pseAdminUnknown: "unknown", pseAdminDisabled: "disabled", pseAdminEnabled: "enabled",
})

// PoDLPSEPwDStatus names a PoDL PSE's power detection status.
var PoDLPSEPwDStatus = schema.NewEnum("podl_pse_pw_d_status", map[uint64]string{
	pwDStatusUnknown: "unknown", pwDStatusDisabled: "disabled", pwDStatusSearching: "searching",
	pwDStatusDelivering: "delivering", podlPwDStatusSleep: "sleep", podlPwDStatusIdle: "idle", podlPwDStatusError: "error",
})

// C33PSEPwDStatus names a clause 33 PSE's power detection status.
var C33PSEPwDStatus = schema.NewEnum("c33_pse_pw_d_status", map[uint64]string{
	pwDStatusUnknown: "unknown", pwDStatusDisabled: "disabled", pwDStatusSearching: "searching",
	pwDStatusDelivering: "delivering", c33PwDStatusTest: "test", c33PwDStatusFault: "fault", c33PwDStatusOthFault: "otherfault",
})

// C33PSEExtState names the group of a clause 33 PSE's extended state.
var C33PSEExtState = schema.NewEnum("c33_pse_ext_state", map[uint64]string{
	1: "error-condition", 2: "mr-mps-valid", 3: "mr-pse-enable", 4: "option-detect-ted", 5: "option-vport-lim",
	6: "ovld-detected", 7: "pd-dll-power-type", 8: "power-not-available", 9: "short-detected",
})

var c33PSEPwLimitSet = schema.NewAttrSet("c33_pse_pw_limit",
	u32(c33PSEPwLimitMin, "min", "lowest power limit, in milliwatts"),
	u32(c33PSEPwLimitMax, "max", "highest power limit, in milliwatts"),
)

// PSE is ETHTOOL_MSG_PSE_GET: the Power Sourcing Equipment (PoE or PoDL)
// of the device's PHY, as `ethtool --show-pse` prints it.
var PSE = withPHY(op("pse", unix.ETHTOOL_MSG_PSE_GET,
	"Power over Ethernet (PoDL and clause 33 PSE) state and settings",
	reported(schema.Attr{Type: podlPSEAdminState, Name: "podl_pse_admin_state", Kind: schema.U32, Enum: PSEAdminState}),
	schema.Attr{Type: podlPSEAdminControl, Name: "podl_pse_admin_control", Kind: schema.U32, Enum: PSEAdminState,
		Doc: "enabled or disabled, to set"},
	reported(schema.Attr{Type: podlPSEPwDStatus, Name: "podl_pse_pw_d_status", Kind: schema.U32, Enum: PoDLPSEPwDStatus}),
	reported(schema.Attr{Type: c33PSEAdminState, Name: "c33_pse_admin_state", Kind: schema.U32, Enum: PSEAdminState}),
	schema.Attr{Type: c33PSEAdminControl, Name: "c33_pse_admin_control", Kind: schema.U32, Enum: PSEAdminState,
		Doc: "enabled or disabled, to set"},
	reported(schema.Attr{Type: c33PSEPwDStatus, Name: "c33_pse_pw_d_status", Kind: schema.U32, Enum: C33PSEPwDStatus}),
	reported(u32(c33PSEPwClass, "c33_pse_pw_class", "the power class")),
	reported(u32(c33PSEActualPw, "c33_pse_actual_pw", "power drawn, in milliwatts")),
	reported(schema.Attr{Type: c33PSEExtState, Name: "c33_pse_ext_state", Kind: schema.U32, Enum: C33PSEExtState}),
	reported(u32(c33PSEExtSubstate, "c33_pse_ext_substate", "the extended state's detail, which depends on it")),
	u32(c33PSEAvailPwLimit, "c33_pse_avail_pw_limit", "the power limit, in milliwatts"),
	reported(schema.Attr{Type: c33PSEPwLimitRanges, Name: "c33_pse_pw_limit_ranges", Kind: schema.Nest, Nest: c33PSEPwLimitSet,
		Multi: true, Doc: "the power limits the PSE can take"}),
	reported(u32(psePwDID, "pse_pw_d_id", "the PSE power domain")),
	reported(u32(psePrioMax, "pse_prio_max", "the highest priority")),
	u32(psePrio, "pse_prio", "the port's priority in its power domain"),
))

// SetPSE is ETHTOOL_MSG_PSE_SET, as `ethtool --set-pse` sends it.
var SetPSE = withPHY(setOp(PSE, unix.ETHTOOL_MSG_PSE_SET, "sets the PSE's admin control, power limit or priority"))
