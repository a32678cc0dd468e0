package policies

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/multiregion/multiregion/internal/dbmodes"
	"github.com/multiregion/multiregion/internal/props"
	"github.com/multiregion/multiregion/policies/model"
)

// Automatic failover, as failover-readiness reads it (issue 15).
//
// A stack fails over with no human in the loop when it has an Amazon ARC
// Region switch plan (CloudFormation type AWS::ARCRegionSwitch::Plan, created
// through Cloud Control as aws:cloudcontrol/resource:Resource) whose desired
// state has a trigger: ARC starts the plan's workflow when the trigger's
// conditions are met. The shapes are the plan's CloudFormation schema
// (components/failover/testdata/AWS_ARCRegionSwitch_Plan.json): Triggers[]
// {Action, TargetRegion, Conditions[]{AssociatedAlarmName, Condition}} and
// AssociatedAlarms{name: {AlarmType, ResourceIdentifier}}.
const (
	cloudControlType = "aws:cloudcontrol/resource:Resource"
	metricAlarmType  = "aws:cloudwatch/metricAlarm:MetricAlarm"
	// planTypeName is the plan's CloudFormation type (components/failover.PlanTypeName;
	// not imported: the pack does not link the component SDKs).
	planTypeName = "AWS::ARCRegionSwitch::Plan"
	// alarmTypeTrigger marks an associated alarm a trigger may use (AlarmType
	// enum: applicationHealth | trigger).
	alarmTypeTrigger = "trigger"
	// conditionRed: the condition holds when its alarm is in ALARM (AlarmCondition
	// enum: red | green); a green condition does not detect a failure.
	conditionRed = "red"
	// actionActivate: the trigger activates its target region (WorkflowTargetAction).
	actionActivate = "activate"

	// defaultHumanResponseSeconds is an assumption, not a measurement: the
	// time from the first alarm to a person starting the failover (a page is
	// delivered and acknowledged, someone confirms the primary region is down
	// rather than a blip, and decides to fail over). 15 minutes is an
	// optimistic on-call response for a decision of that weight; measure yours
	// in a drill (multiregion drill) and set failover-readiness.humanResponseSeconds.
	defaultHumanResponseSeconds = 900
)

// autoPlan is what one Region switch plan says about automatic failover.
type autoPlan struct {
	r *model.Resource
	// automatic: the plan has at least one usable trigger.
	automatic bool
	// detection is the fastest usable trigger's worst-case time to fire, in
	// seconds: the slowest of its alarms (all its conditions must hold), each
	// Period x EvaluationPeriods.
	detection int
	// why says why the plan is not automatic, or cannot be read (unreadable).
	why        string
	unreadable bool
}

// databaseBlock is the execution block that moves the writer of a database
// mode ("" when ARC has none: an RDS read replica's promotion is the
// two-apply runbook, components/failover's DatabaseManualRunbook).
func databaseBlock(mode string) string {
	if mode == dbmodes.ModeAuroraGlobal {
		return "AuroraGlobalDatabase"
	}
	return ""
}

// readPlans reads every Region switch plan of the deployment, and lists the
// Cloud Control resources whose type cannot be read (any of them may be one).
// block is the execution block a workflow must run for the database ("" when
// none is needed).
func readPlans(d *model.Deployment, block string) (plans []autoPlan, unknownType []*model.Resource) {
	alarms := metricAlarms(d)
	for _, r := range d.Resources {
		if r.Type != cloudControlType {
			continue
		}
		typ, st := props.LookupString(r.State(), "typeName")
		switch {
		case st == props.Known && typ == planTypeName:
			plans = append(plans, readPlan(r, alarms, block))
		case st != props.Known:
			unknownType = append(unknownType, r)
		}
	}
	return plans, unknownType
}

// alarmIndex finds the deployment's metric alarms by ARN and by name.
type alarmIndex struct {
	byARN  map[string]*model.Resource
	byName map[string][]*model.Resource
}

func metricAlarms(d *model.Deployment) alarmIndex {
	idx := alarmIndex{byARN: map[string]*model.Resource{}, byName: map[string][]*model.Resource{}}
	for _, r := range d.Resources {
		if r.Type != metricAlarmType {
			continue
		}
		s := r.State()
		if arn := props.String(s, "arn"); arn != "" {
			idx.byARN[arn] = r
		}
		// A metric alarm's ID is its name (pulumi-aws MetricAlarm: imported
		// "using the alarm name").
		names := map[string]bool{props.String(s, "name"): true, r.ID: true, props.String(s, "id"): true}
		for n := range names {
			if n != "" {
				idx.byName[n] = append(idx.byName[n], r)
			}
		}
	}
	return idx
}

// find returns the alarm an ARN names: the alarm with that ARN, else the
// alarm with the name in the ARN (arn:partition:cloudwatch:region:account:alarm:name,
// Service Authorization Reference for CloudWatch) in the ARN's region.
func (idx alarmIndex) find(arn string) *model.Resource {
	if r := idx.byARN[arn]; r != nil {
		return r
	}
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "cloudwatch" || parts[5] != "alarm" {
		return nil
	}
	for _, r := range idx.byName[parts[6]] {
		if r.Region == parts[3] {
			return r
		}
	}
	return nil
}

// planTrigger, planCondition and planAlarm are the parts of the plan's
// desired state that decide automatic failover (schema definitions Trigger,
// TriggerCondition, AssociatedAlarm).
type planTrigger struct {
	Action       string
	TargetRegion string
	Conditions   []planCondition
}

type planCondition struct {
	AssociatedAlarmName string
	Condition           string
}

type planAlarm struct {
	AlarmType          string
	ResourceIdentifier string
}

// readPlan reads one plan's desired state (a JSON string). A trigger counts
// when it activates a region other than the plan's primary (the region whose
// failure it detects) and the workflow that activates that region runs block
// (when one is needed).
func readPlan(r *model.Resource, alarms alarmIndex, block string) autoPlan {
	p := autoPlan{r: r}
	unreadable := func(format string, args ...any) autoPlan {
		p.unreadable, p.why = true, fmt.Sprintf(format, args...)
		return p
	}
	raw, st := props.LookupString(r.State(), "desiredState")
	switch st {
	case props.Pending:
		return unreadable("its desiredState is not known (computed, or an encrypted secret)")
	case props.Missing:
		return unreadable("it has no desiredState")
	case props.Malformed:
		return unreadable("its desiredState is not a string")
	}
	var doc struct {
		PrimaryRegion    string
		Triggers         []planTrigger
		AssociatedAlarms map[string]planAlarm
		Workflows        []struct {
			WorkflowTargetRegion string
			Steps                []struct{ ExecutionBlockType string }
		}
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return unreadable("its desiredState is not the plan's JSON: %v", err)
	}
	// runs[region]: the workflows that activate region run block
	runs := map[string]bool{}
	for _, w := range doc.Workflows {
		for _, st := range w.Steps {
			if block == "" || st.ExecutionBlockType == block {
				runs[w.WorkflowTargetRegion] = true
			}
		}
	}
	if len(doc.Triggers) == 0 {
		p.why = "it has no Triggers (a person must start it)"
		return p
	}
	var reasons []string
	best := -1
	for i, tr := range doc.Triggers {
		window, why, blocked := triggerWindow(tr, doc.AssociatedAlarms, alarms)
		switch {
		case why == "" && !blocked && doc.PrimaryRegion != "" && tr.TargetRegion == doc.PrimaryRegion:
			why = fmt.Sprintf("activates the primary region %s, the region whose failure it would detect", tr.TargetRegion)
		case why == "" && !blocked && !runs[tr.TargetRegion] && block != "":
			why = fmt.Sprintf("activates %s, whose workflow has no %s step: the writer stays in the failed region until a person moves it", tr.TargetRegion, block)
		case why == "" && !blocked && !runs[tr.TargetRegion]:
			why = fmt.Sprintf("activates %s, which no workflow activates", tr.TargetRegion)
		}
		switch {
		case blocked:
			return unreadable("Triggers[%d]: %s", i, why)
		case why != "":
			reasons = append(reasons, fmt.Sprintf("Triggers[%d] %s", i, why))
		case best < 0 || window < best:
			best = window
		}
	}
	if best < 0 {
		p.why = strings.Join(reasons, "; ")
		return p
	}
	p.automatic, p.detection = true, best
	return p
}

// triggerWindow returns a trigger's worst-case time to fire: the slowest of
// its red conditions' alarms (a trigger fires when all its conditions hold).
// why says why the trigger cannot fire on a failure; blocked is set when an
// alarm it names cannot be read (then nothing can be concluded).
func triggerWindow(tr planTrigger, associated map[string]planAlarm, alarms alarmIndex) (window int, why string, blocked bool) {
	if tr.Action != actionActivate {
		return 0, fmt.Sprintf("has Action %q, not %q", tr.Action, actionActivate), false
	}
	if len(tr.Conditions) == 0 {
		return 0, "has no Conditions", false
	}
	red := 0
	for j, c := range tr.Conditions {
		a, ok := associated[c.AssociatedAlarmName]
		switch {
		case !ok:
			return 0, fmt.Sprintf("Conditions[%d] names %q, which is not in AssociatedAlarms", j, c.AssociatedAlarmName), false
		case a.AlarmType != alarmTypeTrigger:
			return 0, fmt.Sprintf("Conditions[%d] names %q, whose AlarmType is %q, not %q", j, c.AssociatedAlarmName, a.AlarmType, alarmTypeTrigger), false
		case c.Condition != conditionRed:
			continue // holds while the alarm is OK: it detects nothing
		}
		red++
		alarm := alarms.find(a.ResourceIdentifier)
		if alarm == nil {
			return 0, fmt.Sprintf("the alarm %q (%s) is not in the deployment, so how fast it fires cannot be read", c.AssociatedAlarmName, a.ResourceIdentifier), true
		}
		s := alarm.State()
		period, pst := props.LookupNumber(s, "period")
		evals, est := props.LookupNumber(s, "evaluationPeriods")
		if pst != props.Known || est != props.Known || period <= 0 || evals < 1 || period*evals > math.MaxInt32 {
			return 0, fmt.Sprintf("metric alarm %q: period (%s) or evaluationPeriods (%s) cannot be read as positive numbers", alarm.Name, pst, est), true
		}
		if w := int(math.Ceil(period * evals)); w > window {
			window = w
		}
	}
	if red == 0 {
		return 0, "has no \"red\" condition (no alarm in ALARM starts it)", false
	}
	return window, "", false
}

// takesOver reports whether losing the primary region needs something done to
// the database: every mode but the multi-writer one has a writer to move (or
// to restore); a DynamoDB global table already writes everywhere.
func takesOver(mode string) bool { return mode != dbmodes.ModeDynamoDBGlobal }

// checkAutomaticFailover compares the declared RTO with what failover can
// achieve: with an automatic plan, its detection plus the database mode's
// RTO; without one, the mode's RTO plus a human's response.
func checkAutomaticFailover(e *Env, d *model.Deployment, mode string, modeRTO time.Duration, rto int) {
	if rto <= 0 || !takesOver(mode) {
		return
	}
	block := databaseBlock(mode)
	plans, unknownType := readPlans(d, block)
	sort.Slice(plans, func(i, j int) bool { return plans[i].r.URN < plans[j].r.URN })
	modeSec := int(modeRTO / time.Second)

	var fastest *autoPlan
	var unreadable []autoPlan
	var manual []string
	for i := range plans {
		p := &plans[i]
		if p.automatic && block == "" && mode != dbmodes.ModeDynamoDBGlobal {
			// a plan that fires by itself but leaves the writer where it was
			// still waits for a person
			p.automatic, p.why = false, fmt.Sprintf("its trigger fires, but no ARC execution block moves a %s database's writer: a person runs the promotion", mode)
		}
		switch {
		case p.unreadable:
			unreadable = append(unreadable, *p)
		case p.automatic:
			if fastest == nil || p.detection < fastest.detection {
				fastest = p
			}
		default:
			manual = append(manual, fmt.Sprintf("plan %q: %s", p.r.Name, p.why))
		}
	}
	if fastest != nil && fastest.detection+modeSec <= rto {
		return
	}
	// Nothing verified meets the target: what cannot be read may be what would.
	if len(unreadable) > 0 || len(unknownType) > 0 {
		for _, p := range unreadable {
			e.CannotVerify(p.r.URN, "Region switch plan %q: %s, so whether failover is automatic (and fast enough for multiregion:rtoSeconds=%d) cannot be told", p.r.Name, p.why, rto)
		}
		for _, r := range unknownType {
			e.CannotVerify(r.URN, "Cloud Control resource %q: its typeName is not known, so whether it is a Region switch plan (automatic failover) cannot be told", r.Name)
		}
		return
	}
	if fastest != nil {
		e.Violate(fastest.r.URN, "automatic failover cannot meet multiregion:rtoSeconds=%d: plan %q fires after its alarms' Period x EvaluationPeriods = %d s, plus the %s database's RTO ~%d s = %d s",
			rto, fastest.r.Name, fastest.detection, mode, modeSec, fastest.detection+modeSec)
		return
	}
	human := defaultHumanResponseSeconds
	if v, ok := e.numberProp("humanResponseSeconds"); ok {
		human = int(v)
	}
	if modeSec+human <= rto {
		return
	}
	detail := "no AWS::ARCRegionSwitch::Plan"
	if len(manual) > 0 {
		detail = strings.Join(manual, "; ")
	}
	fix := "set multiregion:failover.automatic: true (an ARC Region switch plan with a trigger)"
	if block == "" {
		fix = "use aurora-global with multiregion:failover.automatic: true"
	}
	e.Violate("", "no automatic failover (%s): a manual failover takes the %s database's RTO ~%d s plus a person's response (failover-readiness.humanResponseSeconds=%d, an assumption) = %d s, above multiregion:rtoSeconds=%d: %s, or declare an RTO you can meet by hand",
		detail, mode, modeSec, human, modeSec+human, rto, fix)
}
