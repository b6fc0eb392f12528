package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// The ETHTOOL_A_CABLE_RESULT_SRC and ETHTOOL_A_CABLE_FAULT_LENGTH_SRC
// attributes (Linux 6.14), the result codes newer than
// golang.org/x/sys/unix, and enum ethtool_cable_inf_src
// (include/uapi/linux/ethtool.h, ethtool_netlink_generated.h).
const (
	cableResultSrc, cableFaultLengthSrc = 3, 3

	cableCodeImpedanceMismatch, cableCodeNoise, cableCodeResolutionNotPossible = 5, 6, 7

	cableInfSrcTDR, cableInfSrcALCD = 1, 2
)

// CablePair names a twisted pair, as ethtool prints it ("Pair A").
var CablePair = schema.NewEnum("cable_pair", map[uint64]string{
	unix.ETHTOOL_A_CABLE_PAIR_A: "A", unix.ETHTOOL_A_CABLE_PAIR_B: "B",
	unix.ETHTOOL_A_CABLE_PAIR_C: "C", unix.ETHTOOL_A_CABLE_PAIR_D: "D",
})

// CableResultCode names what a cable test found on a pair
// (ETHTOOL_A_CABLE_RESULT_CODE_*).
var CableResultCode = schema.NewEnum("cable_result_code", map[uint64]string{
	unix.ETHTOOL_A_CABLE_RESULT_CODE_UNSPEC: "unspec", unix.ETHTOOL_A_CABLE_RESULT_CODE_OK: "ok",
	unix.ETHTOOL_A_CABLE_RESULT_CODE_OPEN: "open", unix.ETHTOOL_A_CABLE_RESULT_CODE_SAME_SHORT: "same_short",
	unix.ETHTOOL_A_CABLE_RESULT_CODE_CROSS_SHORT: "cross_short", cableCodeImpedanceMismatch: "impedance_mismatch",
	cableCodeNoise: "noise", cableCodeResolutionNotPossible: "resolution_not_possible",
})

// CableInfSrc names how a result was found: time domain reflectometry or
// active link cable diagnostics (enum ethtool_cable_inf_src).
var CableInfSrc = schema.NewEnum("cable_inf_src", map[uint64]string{
	cableInfSrcTDR: "tdr", cableInfSrcALCD: "alcd",
})

// CableTestStatus names a cable test notification's status
// (ETHTOOL_A_CABLE_TEST_NTF_STATUS_*).
var CableTestStatus = schema.NewEnum("cable_test_status", map[uint64]string{
	unix.ETHTOOL_A_CABLE_TEST_NTF_STATUS_STARTED: "started", unix.ETHTOOL_A_CABLE_TEST_NTF_STATUS_COMPLETED: "completed",
})

var cableResultSet = schema.NewAttrSet("cable_result",
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_RESULT_PAIR, Name: "pair", Kind: schema.U8, Enum: CablePair},
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_RESULT_CODE, Name: "code", Kind: schema.U8, Enum: CableResultCode},
	schema.Attr{Type: cableResultSrc, Name: "src", Kind: schema.U32, Enum: CableInfSrc},
)

var cableFaultLengthSet = schema.NewAttrSet("cable_fault_length",
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_FAULT_LENGTH_PAIR, Name: "pair", Kind: schema.U8, Enum: CablePair},
	u32(unix.ETHTOOL_A_CABLE_FAULT_LENGTH_CM, "cm", "the distance to the fault, in centimetres"),
	schema.Attr{Type: cableFaultLengthSrc, Name: "src", Kind: schema.U32, Enum: CableInfSrc},
)

// cableNestSet is ETHTOOL_A_CABLE_NEST_*: a result per pair, and the
// distance to each fault found.
var cableNestSet = schema.NewAttrSet("cable_nest",
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_NEST_RESULT, Name: "result", Kind: schema.Nest, Nest: cableResultSet, Multi: true,
		Doc: "what the test found on each pair"},
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_NEST_FAULT_LENGTH, Name: "fault_length", Kind: schema.Nest, Nest: cableFaultLengthSet,
		Multi: true, Doc: "how far away each fault is"},
)

var cableStepSet = schema.NewAttrSet("cable_step",
	u32(unix.ETHTOOL_A_CABLE_STEP_FIRST_DISTANCE, "first_distance", "the first distance measured, in centimetres"),
	u32(unix.ETHTOOL_A_CABLE_STEP_LAST_DISTANCE, "last_distance", "the last distance measured, in centimetres"),
	u32(unix.ETHTOOL_A_CABLE_STEP_STEP_DISTANCE, "step_distance", "the distance between measurements, in centimetres"),
)

var cableAmplitudeSet = schema.NewAttrSet("cable_amplitude",
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_AMPLITUDE_PAIR, Name: "pair", Kind: schema.U8, Enum: CablePair},
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_AMPLITUDE_mV, Name: "mv", Kind: schema.S16, Doc: "the reflection's amplitude, in millivolts"},
)

var cablePulseSet = schema.NewAttrSet("cable_pulse",
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_PULSE_mV, Name: "mv", Kind: schema.S16, Doc: "the pulse's amplitude, in millivolts"},
)

// cableTDRNestSet is ETHTOOL_A_CABLE_TDR_NEST_*: the raw TDR data, in the
// order the PHY measured it: a step, then an amplitude per pair for each
// distance from the step's first to its last.
var cableTDRNestSet = schema.NewAttrSet("cable_tdr_nest",
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_TDR_NEST_STEP, Name: "step", Kind: schema.Nest, Nest: cableStepSet, Multi: true,
		Doc: "the distances measured"},
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_TDR_NEST_AMPLITUDE, Name: "amplitude", Kind: schema.Nest, Nest: cableAmplitudeSet,
		Multi: true, Doc: "the reflection on a pair at each distance, in order"},
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_TDR_NEST_PULSE, Name: "pulse", Kind: schema.Nest, Nest: cablePulseSet, Multi: true,
		Doc: "the pulse sent"},
)

// act declares an operation that starts something on the device dev and
// is acknowledged with no reply: its request is the header, which may
// name a PHY, and attrs.
func act(name string, cmd uint8, doc string, attrs ...schema.Attr) *genl.Operation {
	set := schema.NewAttrSet(name, append([]schema.Attr{header()}, attrs...)...)
	return withPHY(&genl.Operation{
		Name: name, Cmd: cmd, Doc: doc, Do: true, Key: []string{"dev"}, Change: true,
		Request: &schema.Message{Name: name, Header: requestHeader, Attrs: set, Doc: doc},
	})
}

// CableTest is ETHTOOL_MSG_CABLE_TEST_ACT, as `ethtool --cable-test`
// sends it: the PHY tests the cable, taking the link down meanwhile. The
// kernel acknowledges the request; the results come on the monitor group
// as cable_test_ntf events, one when the test starts and one with the
// results when it completes.
var CableTest = act("cable_test", unix.ETHTOOL_MSG_CABLE_TEST_ACT,
	"starts a cable test; the results come as cable_test_ntf events")

var cableTestTDRCfgSet = schema.NewAttrSet("cable_test_tdr_cfg",
	u32(unix.ETHTOOL_A_CABLE_TEST_TDR_CFG_FIRST, "first", "the first distance to measure, in centimetres"),
	u32(unix.ETHTOOL_A_CABLE_TEST_TDR_CFG_LAST, "last", "the last distance to measure, in centimetres"),
	u32(unix.ETHTOOL_A_CABLE_TEST_TDR_CFG_STEP, "step", "the distance between measurements, in centimetres"),
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_TEST_TDR_CFG_PAIR, Name: "pair", Kind: schema.U8, Enum: CablePair,
		Doc: "the one pair to measure; all when absent"},
)

// CableTestTDR is ETHTOOL_MSG_CABLE_TEST_TDR_ACT, as `ethtool
// --cable-test-tdr` sends it: the PHY measures the cable's reflections
// (time domain reflectometry), over the distances and pair cfg names. The
// data comes as cable_test_tdr_ntf events.
var CableTestTDR = act("cable_test_tdr", unix.ETHTOOL_MSG_CABLE_TEST_TDR_ACT,
	"starts a TDR measurement of the cable; the data comes as cable_test_tdr_ntf events",
	schema.Attr{Type: unix.ETHTOOL_A_CABLE_TEST_TDR_CFG, Name: "cfg", Kind: schema.Nest, Nest: cableTestTDRCfgSet,
		Doc: "the distances (first, last, step, in centimetres) and pair to measure"},
)

// cableNtf declares the notification cmd of a cable test called name:
// the header, the test's status (at statusType), and once completed, at
// nestType, the nest of what it found.
func cableNtf(name string, cmd uint8, doc string, statusType, nestType uint16, nest *schema.AttrSet, nestDoc string) *genl.Event {
	msg := &schema.Message{Name: name, Header: replyHeader, Doc: doc,
		Attrs: schema.NewAttrSet(name+"_ntf", header(),
			schema.Attr{Type: statusType, Name: "status", Kind: schema.U8, Enum: CableTestStatus},
			schema.Attr{Type: nestType, Name: "nest", Kind: schema.Nest, Nest: nest, Doc: nestDoc},
		)}
	return &genl.Event{Name: name + "_ntf", Cmd: cmd, Message: msg}
}

// CableTestNtf is the event ETHTOOL_MSG_CABLE_TEST_NTF: the test's status,
// and once completed, a result per pair and the faults' distances.
var CableTestNtf = cableNtf("cable_test", unix.ETHTOOL_MSG_CABLE_TEST_NTF, "a cable test's status and results",
	unix.ETHTOOL_A_CABLE_TEST_NTF_STATUS, unix.ETHTOOL_A_CABLE_TEST_NTF_NEST, cableNestSet, "the results, when completed")

// CableTestTDRNtf is the event ETHTOOL_MSG_CABLE_TEST_TDR_NTF: the
// measurement's status, and once completed, its data.
var CableTestTDRNtf = cableNtf("cable_test_tdr", unix.ETHTOOL_MSG_CABLE_TEST_TDR_NTF, "a TDR measurement's status and data",
	unix.ETHTOOL_A_CABLE_TEST_TDR_NTF_STATUS, unix.ETHTOOL_A_CABLE_TEST_TDR_NTF_NEST, cableTDRNestSet, "the data, when completed")
