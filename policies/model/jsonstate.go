package model

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/asset"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"
)

// The state reader tokenizes with jsontext (github.com/go-json-experiment/json,
// the encoding/json/v2 prototype, now in the standard library): strict RFC 8259
// JSON, valid UTF-8, no duplicate object names, errors with byte offsets, and
// no recursion in the tokenizer. BENCHMARKS.md compares it with encoding/json.
// The deployment's envelope is read first, finding each resource's bytes; the
// resources are then converted to property values on every core, straight from
// the tokens (no map[string]any in between).

// MaxDepth is how deeply a state file may nest objects and arrays. It is a
// chosen bound, not a published one: the envelope takes 5 levels (the file,
// "deployment", "resources", a resource, its inputs), this project's exported
// plans nest at most 10 in all (prod-eu, measured 2026-12-07), and the deep
// documents AWS resources carry (IAM policies, step function definitions) are
// JSON strings, not nested values. 128 leaves a wide margin; anything deeper
// is refused as malformed instead of being walked.
const MaxDepth = 128

// envelopeDepth is the number of containers around a resource object: the
// file, "deployment" and "resources".
const envelopeDepth = 3

// stateResource is what the model needs of one resource in a state file.
type stateResource struct {
	urn, typ, id, parent, provider string
	custom, delete                 bool
	// pending is set for the resource of a pending operation (an update
	// that was interrupted: the resource may exist without being recorded)
	pending         bool
	inputs, outputs resource.PropertyMap
}

// jsonError is malformed or misshapen JSON at a byte offset.
type jsonError struct {
	pos int64
	msg string
}

func (e *jsonError) Error() string { return fmt.Sprintf("%s (at byte %d)", e.msg, e.pos) }

// utf8BOM may precede a file saved by some Windows editors and PowerShell.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// reader converts one stretch of a state file.
type reader struct {
	dec  *jsontext.Decoder
	data []byte
	base int64 // offset of data in the file
	// strs interns property names and short values: a big state repeats the
	// same few thousand (keys, types, regions) a hundred thousand times.
	strs map[string]string
}

// maxInterned bounds the interned strings (of at most maxInternLen bytes).
const (
	maxInterned  = 1 << 14
	maxInternLen = 32
)

func newReader(data []byte, base int64) *reader {
	return &reader{dec: jsontext.NewDecoder(bytes.NewBuffer(data)), data: data, base: base, strs: map[string]string{}}
}

// readString reads a string token (an object name or a value).
func (r *reader) readString() (string, error) {
	v, err := r.dec.ReadValue()
	if err != nil {
		return "", r.wrap(err)
	}
	raw := v[1 : len(v)-1]
	if bytes.IndexByte(raw, '\\') >= 0 {
		b, err := jsontext.AppendUnquote(nil, v)
		if err != nil {
			return "", r.wrap(err)
		}
		return string(b), nil
	}
	if len(raw) > maxInternLen {
		return string(raw), nil
	}
	if s, ok := r.strs[string(raw)]; ok {
		return s, nil
	}
	s := string(raw)
	if len(r.strs) < maxInterned {
		r.strs[s] = s
	}
	return s, nil
}

// reset points r at another stretch, reusing the decoder's buffers.
func (r *reader) reset(data []byte, base int64) {
	r.dec.Reset(bytes.NewBuffer(data))
	r.data, r.base = data, base
}

// offset is the file offset of the next token: past the end of the last one,
// its separator and white space.
func (r *reader) offset() int64 { return r.base + r.next() }

// next is the offset in data of the next token.
func (r *reader) next() int64 {
	i := r.dec.InputOffset()
	for i < int64(len(r.data)) {
		switch r.data[i] {
		case ' ', '\t', '\r', '\n', ':', ',':
			i++
			continue
		}
		break
	}
	return i
}

func (r *reader) fail(format string, args ...any) error {
	return &jsonError{r.offset(), fmt.Sprintf(format, args...)}
}

// wrap turns a tokenizer error into a jsonError with the file offset.
func (r *reader) wrap(err error) error {
	var se *jsontext.SyntacticError
	switch {
	case errors.As(err, &se):
		msg := "invalid JSON"
		if errors.Is(se.Err, io.ErrUnexpectedEOF) {
			msg = "unexpected end of the file (truncated?)"
		} else if se.Err != nil {
			msg = "invalid JSON: " + se.Err.Error()
			if errors.Is(se.Err, jsontext.ErrDuplicateName) {
				msg += " " + strconv.Quote(se.JSONPointer.LastToken())
			}
		}
		return &jsonError{r.base + se.ByteOffset, msg}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &jsonError{r.offset(), "unexpected end of the file (truncated?)"}
	}
	var je *jsonError
	if errors.As(err, &je) {
		return err
	}
	return &jsonError{r.offset(), err.Error()}
}

// token reads the next token.
func (r *reader) token() (jsontext.Token, error) {
	tok, err := r.dec.ReadToken()
	if err != nil {
		return tok, r.wrap(err)
	}
	return tok, nil
}

// object reads an object, calling fn for each name; fn must read the value.
func (r *reader) object(what string, fn func(name string) error) error {
	if k := r.dec.PeekKind(); k != '{' {
		return r.kindError(what, "an object", k)
	}
	if _, err := r.token(); err != nil {
		return err
	}
	for r.dec.PeekKind() != '}' {
		name, err := r.readString()
		if err != nil {
			return err
		}
		if err := fn(name); err != nil {
			return err
		}
	}
	_, err := r.token()
	return err
}

// kindError says that what is not the expected kind of value.
// A syntax error in the value (PeekKind sees only its first byte) is reported
// as such.
func (r *reader) kindError(what, want string, got jsontext.Kind) error {
	at := r.offset()
	if _, err := r.dec.ReadToken(); err != nil || got == 0 {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return r.wrap(err)
	}
	return &jsonError{at, fmt.Sprintf("%s is %s, not %s", what, kindName(got), want)}
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "not a value"
}

// str reads a string (or null, as "", when nullable).
func (r *reader) str(what string, nullable bool) (string, error) {
	switch k := r.dec.PeekKind(); {
	case k == '"':
		return r.readString()
	case k == 'n' && nullable:
		_, err := r.token()
		return "", err
	default:
		return "", r.kindError(what, "a string", k)
	}
}

// boolean reads true, false or null (false).
func (r *reader) boolean(what string) (bool, error) {
	switch k := r.dec.PeekKind(); k {
	case 't', 'f', 'n':
		tok, err := r.token()
		return k == 't' && tok.Bool(), err
	default:
		return false, r.kindError(what, "a boolean", k)
	}
}

// unknownValue is the engine's unknown value for a sentinel string, as
// plugin.UnmarshalPropertyValue builds it (sdk/go/common/resource/plugin/rpc.go).
func unknownValue(s string) (resource.PropertyValue, bool) {
	var elem resource.PropertyValue
	switch s {
	case sig.UnknownBoolValue:
		elem = resource.NewProperty(false)
	case sig.UnknownNumberValue:
		elem = resource.NewProperty(0.0)
	case sig.UnknownStringValue:
		elem = resource.NewProperty("")
	case sig.UnknownArrayValue:
		elem = resource.NewProperty([]resource.PropertyValue{})
	case sig.UnknownAssetValue:
		elem = resource.NewProperty(&asset.Asset{})
	case sig.UnknownArchiveValue:
		elem = resource.NewProperty(&archive.Archive{})
	case sig.UnknownObjectValue:
		elem = resource.NewProperty(resource.PropertyMap{})
	default:
		return resource.PropertyValue{}, false
	}
	return resource.MakeComputed(elem), true
}

// value reads a property value at nesting depth (of the file), decoding
// unknown sentinels and the signature objects of secrets, resource references,
// output values and byte strings.
func (r *reader) value(depth int) (resource.PropertyValue, error) {
	switch k := r.dec.PeekKind(); k {
	case '{', '[':
		if depth >= MaxDepth {
			return resource.PropertyValue{}, r.fail("nesting deeper than %d levels", MaxDepth)
		}
		if k == '[' {
			if _, err := r.token(); err != nil {
				return resource.PropertyValue{}, err
			}
			arr := []resource.PropertyValue{}
			for r.dec.PeekKind() != ']' {
				v, err := r.value(depth + 1)
				if err != nil {
					return v, err
				}
				arr = append(arr, v)
			}
			_, err := r.token()
			return resource.NewProperty(arr), err
		}
		start := r.offset()
		m := resource.PropertyMap{}
		err := r.object("a property", func(name string) error {
			v, err := r.value(depth + 1)
			m[resource.PropertyKey(name)] = v
			return err
		})
		if err != nil {
			return resource.PropertyValue{}, err
		}
		return special(m, depth, start)
	case '"':
		s, err := r.readString()
		if err != nil {
			return resource.PropertyValue{}, err
		}
		if u, ok := unknownValue(s); ok {
			return u, nil
		}
		return resource.NewProperty(s), nil
	case '0':
		tok, err := r.token()
		if err != nil {
			return resource.PropertyValue{}, err
		}
		f, err := tok.Float()
		if err != nil {
			return resource.PropertyValue{}, &jsonError{r.offset(), fmt.Sprintf("number %s is out of range", abbrev(tok.String()))}
		}
		return resource.NewProperty(f), nil
	case 't', 'f':
		tok, err := r.token()
		return resource.NewProperty(tok.Bool()), err
	case 'n':
		_, err := r.token()
		return resource.NewNullProperty(), err
	}
	return resource.PropertyValue{}, r.kindError("a property", "a value", 0)
}

// special decodes an object carrying the signature key (sig.Key); other
// objects are returned as they are.
func special(m resource.PropertyMap, depth int, at int64) (resource.PropertyValue, error) {
	k, ok := m[sig.Key]
	if !ok {
		return resource.NewProperty(m), nil
	}
	fail := func(msg string) (resource.PropertyValue, error) {
		return resource.PropertyValue{}, &jsonError{at, msg}
	}
	if !k.IsString() {
		return fail("a signature key (" + sig.Key + ") that is not a string")
	}
	switch k.StringValue() {
	case sig.Secret:
		if pt, ok := m["plaintext"]; ok {
			if !pt.IsString() {
				return fail("a secret's plaintext is not a string")
			}
			// `pulumi stack export --show-secrets`: the value as JSON text.
			inner := newReader([]byte(pt.StringValue()), at)
			v, err := inner.value(depth)
			if err == nil {
				_, err = inner.dec.ReadToken()
				if err == io.EOF {
					return resource.MakeSecret(v), nil
				}
				if err == nil {
					err = errors.New("extra data")
				}
			}
			return fail(fmt.Sprintf("a secret's plaintext is not one JSON value: %v", err))
		}
		if ct, ok := m["ciphertext"]; ok && ct.IsString() {
			// Encrypted: the value is not readable here, only that it is secret.
			return resource.MakeSecret(resource.MakeComputed(resource.NewProperty(""))), nil
		}
		return fail("a secret with neither a \"plaintext\" nor a \"ciphertext\" string")
	case sig.ResourceReference:
		if urn, ok := m["urn"]; ok && urn.IsString() {
			return urn, nil
		}
		return fail("a resource reference without a \"urn\" string")
	case sig.OutputValue:
		v, known := m["value"]
		if !known {
			v = resource.MakeComputed(resource.NewProperty(""))
		}
		if s, ok := m["secret"]; ok && s.IsBool() && s.BoolValue() {
			v = resource.MakeSecret(v)
		}
		return v, nil
	case sig.ByteString:
		if b64, ok := m["value"]; ok && b64.IsString() {
			b, err := base64.StdEncoding.DecodeString(b64.StringValue())
			if err == nil {
				return resource.NewProperty(string(b)), nil
			}
		}
		return fail("a byte string without a base64 \"value\"")
	}
	// assets, archives: an object policies do not read
	return resource.NewProperty(m), nil
}

// propertyMap reads inputs or outputs: an object or null.
func (r *reader) propertyMap(what string) (resource.PropertyMap, error) {
	if r.dec.PeekKind() == 'n' {
		_, err := r.token()
		return nil, err
	}
	if k := r.dec.PeekKind(); k != '{' {
		return nil, r.kindError(what, "an object", k)
	}
	v, err := r.value(envelopeDepth + 1)
	if err != nil {
		return nil, err
	}
	if !v.IsObject() {
		return nil, r.fail("%s is a special value, not an object", what)
	}
	return v.ObjectValue(), nil
}

// resource reads one resource object; urn and type are required strings.
func (r *reader) resource() (stateResource, error) {
	var res stateResource
	var sawURN, sawType bool
	err := r.object("the resource", func(name string) error {
		var err error
		switch name {
		case "urn":
			sawURN = true
			res.urn, err = r.str(`"urn"`, false)
		case "type":
			sawType = true
			res.typ, err = r.str(`"type"`, false)
		case "id":
			res.id, err = r.str(`"id"`, true)
		case "parent":
			res.parent, err = r.str(`"parent"`, true)
		case "provider":
			res.provider, err = r.str(`"provider"`, true)
		case "custom":
			res.custom, err = r.boolean(`"custom"`)
		case "delete":
			res.delete, err = r.boolean(`"delete"`)
		case "inputs":
			res.inputs, err = r.propertyMap(`"inputs"`)
		case "outputs":
			res.outputs, err = r.propertyMap(`"outputs"`)
		default:
			err = r.skip()
		}
		return err
	})
	switch {
	case err != nil:
	case !sawURN:
		err = errors.New(`it has no "urn"`)
	case !sawType:
		err = errors.New(`it has no "type"`)
	}
	return res, err
}

// skip reads a value the model does not need (validating it).
func (r *reader) skip() error {
	if err := r.dec.SkipValue(); err != nil {
		return r.wrap(err)
	}
	return nil
}

// parseDeployment reads `{"version": 3, "deployment": {"resources": [...]}}`
// strictly: version is the integer 3, deployment an object, resources an
// array (or null) of objects. It returns the resources in file order.
func parseDeployment(data []byte) ([]stateResource, error) {
	var base int64
	if bytes.HasPrefix(data, utf8BOM) {
		data, base = data[len(utf8BOM):], int64(len(utf8BOM))
	}
	// This pass only finds the resources (the second one reads each with
	// duplicate names refused): names are not tracked here, except the
	// envelope's own, below.
	r := newReader(nil, base)
	r.dec.Reset(bytes.NewBuffer(data), jsontext.AllowDuplicateNames(true))
	r.data = data
	if k := r.dec.PeekKind(); k != '{' {
		return nil, r.kindError("the file", "a JSON object", k)
	}
	var spans, pendingSpans [][2]int64
	var sawVersion, sawDeployment, sawResources bool
	duplicate := func(saw *bool, name string) error {
		if *saw {
			return r.fail("duplicate %q", name)
		}
		*saw = true
		return nil
	}
	err := r.object("the file", func(name string) error {
		switch name {
		case "version":
			if err := duplicate(&sawVersion, name); err != nil {
				return err
			}
			return r.version()
		case "deployment":
			if err := duplicate(&sawDeployment, name); err != nil {
				return err
			}
			return r.object(`"deployment"`, func(name string) error {
				if name == "pending_operations" {
					return r.pendingOperations(&pendingSpans)
				}
				if name != "resources" {
					return r.skip()
				}
				if err := duplicate(&sawResources, name); err != nil {
					return err
				}
				switch k := r.dec.PeekKind(); k {
				case 'n':
					_, err := r.token()
					return err
				case '[':
				default:
					return r.kindError(`"resources"`, "an array", k)
				}
				if _, err := r.token(); err != nil {
					return err
				}
				for r.dec.PeekKind() != ']' {
					if k := r.dec.PeekKind(); k != '{' {
						return r.kindError(fmt.Sprintf("resource %d", len(spans)), "an object", k)
					}
					start := r.next()
					if err := r.skip(); err != nil {
						return fmt.Errorf("resource %d: %w", len(spans), err)
					}
					spans = append(spans, [2]int64{start, r.dec.InputOffset()})
				}
				_, err := r.token()
				return err
			})
		}
		return r.skip()
	})
	if err != nil {
		return nil, err
	}
	if _, err := r.dec.ReadToken(); err != io.EOF {
		return nil, r.fail("unexpected data after the deployment")
	}
	switch {
	case !sawVersion && !sawDeployment:
		return nil, errNoDeployment
	case !sawVersion:
		return nil, errors.New(`no "version" field: expected the output of ` + "`pulumi stack export`" + ` (version 3)`)
	case !sawDeployment:
		return nil, errors.New(`no "deployment" field: expected the output of ` + "`pulumi stack export`")
	}
	resources, err := parseResources(data, base, append(spans, pendingSpans...))
	if err != nil {
		if len(pendingSpans) > 0 {
			return nil, fmt.Errorf("%w (resources after the %d of \"resources\" are those of \"pending_operations\")", err, len(spans))
		}
		return nil, err
	}
	for i := len(spans); i < len(resources); i++ {
		resources[i].pending = true
	}
	return resources, nil
}

// pendingOperations reads "pending_operations": an array (or null) of
// objects whose "resource" is a resource; it records each resource's span.
func (r *reader) pendingOperations(spans *[][2]int64) error {
	switch k := r.dec.PeekKind(); k {
	case 'n':
		_, err := r.token()
		return err
	case '[':
	default:
		return r.kindError(`"pending_operations"`, "an array", k)
	}
	if _, err := r.token(); err != nil {
		return err
	}
	for i := 0; r.dec.PeekKind() != ']'; i++ {
		if k := r.dec.PeekKind(); k != '{' {
			return r.kindError(fmt.Sprintf("pending operation %d", i), "an object", k)
		}
		err := r.object(fmt.Sprintf("pending operation %d", i), func(name string) error {
			if name != "resource" {
				return r.skip()
			}
			if k := r.dec.PeekKind(); k != '{' {
				return r.kindError(fmt.Sprintf("pending operation %d's resource", i), "an object", k)
			}
			start := r.next()
			if err := r.skip(); err != nil {
				return err
			}
			*spans = append(*spans, [2]int64{start, r.dec.InputOffset()})
			return nil
		})
		if err != nil {
			return fmt.Errorf("pending operation %d: %w", i, err)
		}
	}
	_, err := r.token()
	return err
}

// version reads the "version" field: the integer 3.
func (r *reader) version() error {
	k := r.dec.PeekKind()
	if k != '0' {
		return r.kindError(`"version"`, "the integer 3", k)
	}
	at := r.offset()
	tok, err := r.token()
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(tok.String())
	switch {
	case err != nil:
		return &jsonError{at, fmt.Sprintf(`"version" is %s, not the integer 3`, abbrev(tok.String()))}
	case n != 3:
		return &versionError{n}
	}
	return nil
}

// versionError is a deployment of another schema version.
type versionError struct{ version int }

func (e *versionError) Error() string {
	return fmt.Sprintf("deployment version %d is not supported: export it with a current Pulumi CLI (version 3)", e.version)
}

// parseResources converts the resources at spans on every core.
func parseResources(data []byte, base int64, spans [][2]int64) ([]stateResource, error) {
	resources := make([]stateResource, len(spans))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(spans)/512))
	errs := make([]error, len(spans)) // indexed, so the first error in file order wins
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := newReader(nil, 0)
			for i := w; i < len(spans); i += workers {
				sp := spans[i]
				r.reset(data[sp[0]:sp[1]], base+sp[0])
				res, err := r.resource()
				if err != nil {
					errs[i] = fmt.Errorf("resource %d: %w", i, err)
					return
				}
				resources[i] = res
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return resources, nil
}

var errNoDeployment = errors.New("no \"version\" and \"deployment\" fields")

// abbrev shortens a piece of the input quoted in a message, which stays one
// readable line however long the input is.
func abbrev(s string) string {
	const limit = 120
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + fmt.Sprintf("... (%d bytes)", len(s))
}
