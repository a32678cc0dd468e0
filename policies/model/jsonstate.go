package model

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"
)

// A state file can hold a hundred thousand resources: reading it through
// encoding/json (a map[string]any per property map, then a second conversion to
// property values) took seconds. This reader parses the deployment's JSON
// straight into property values, and parses the resources on every core.

// stateResource is what the model needs of one resource in a state file.
type stateResource struct {
	urn, typ, id, parent, provider string
	custom, delete                 bool
	inputs, outputs                resource.PropertyMap
}

// jsonError is malformed JSON at an offset.
type jsonError struct {
	pos int
	msg string
}

func (e *jsonError) Error() string { return fmt.Sprintf("invalid JSON at byte %d: %s", e.pos, e.msg) }

type parser struct {
	data []byte
	pos  int
}

func (p *parser) fail(format string, args ...any) error {
	return &jsonError{p.pos, fmt.Sprintf(format, args...)}
}

func (p *parser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// expect consumes c after optional whitespace.
func (p *parser) expect(c byte) error {
	p.ws()
	if p.pos >= len(p.data) || p.data[p.pos] != c {
		return p.fail("expected %q", c)
	}
	p.pos++
	return nil
}

// peek returns the next non-space byte (0 at the end).
func (p *parser) peek() byte {
	p.ws()
	if p.pos >= len(p.data) {
		return 0
	}
	return p.data[p.pos]
}

// object calls fn for each key; fn must consume the value.
func (p *parser) object(fn func(key string) error) error {
	if err := p.expect('{'); err != nil {
		return err
	}
	if p.peek() == '}' {
		p.pos++
		return nil
	}
	for {
		p.ws()
		key, err := p.str()
		if err != nil {
			return err
		}
		if err := p.expect(':'); err != nil {
			return err
		}
		if err := fn(key); err != nil {
			return err
		}
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return nil
		default:
			return p.fail("expected ',' or '}' in an object")
		}
	}
}

// array calls fn for each element; fn must consume it.
func (p *parser) array(fn func() error) error {
	if err := p.expect('['); err != nil {
		return err
	}
	if p.peek() == ']' {
		p.pos++
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		switch p.peek() {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return nil
		default:
			return p.fail("expected ',' or ']' in an array")
		}
	}
}

// str parses a string at the current position.
func (p *parser) str() (string, error) {
	p.ws()
	if p.pos >= len(p.data) || p.data[p.pos] != '"' {
		return "", p.fail("expected a string")
	}
	p.pos++
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' {
			return p.strEscaped(start)
		}
		if c < 0x20 {
			return "", p.fail("control character in a string")
		}
		p.pos++
	}
	return "", p.fail("unterminated string")
}

// strEscaped finishes a string that contains escapes.
func (p *parser) strEscaped(start int) (string, error) {
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c == '\\':
			if p.pos+1 >= len(p.data) {
				return "", p.fail("unterminated escape")
			}
			e := p.data[p.pos+1]
			p.pos += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, err := p.hex4()
				if err != nil {
					return "", err
				}
				if utf16.IsSurrogate(r) && p.pos+6 <= len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					p.pos += 2
					r2, err := p.hex4()
					if err != nil {
						return "", err
					}
					r = utf16.DecodeRune(r, r2)
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", p.fail("invalid escape \\%c", e)
			}
		case c < 0x20:
			return "", p.fail("control character in a string")
		default:
			buf = append(buf, c)
			p.pos++
		}
	}
	return "", p.fail("unterminated string")
}

func (p *parser) hex4() (rune, error) {
	if p.pos+4 > len(p.data) {
		return 0, p.fail("short \\u escape")
	}
	v, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, p.fail("invalid \\u escape")
	}
	p.pos += 4
	return rune(v), nil
}

// literal consumes a fixed word (true, false, null).
func (p *parser) literal(word string) error {
	if p.pos+len(word) > len(p.data) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.fail("invalid literal")
	}
	p.pos += len(word)
	return nil
}

func (p *parser) number() (float64, error) {
	p.ws()
	start := p.pos
	for p.pos < len(p.data) {
		switch c := p.data[p.pos]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			p.pos++
			continue
		}
		break
	}
	f, err := strconv.ParseFloat(string(p.data[start:p.pos]), 64)
	if err != nil {
		return 0, &jsonError{start, "invalid number"}
	}
	return f, nil
}

// skip consumes any value without building it.
func (p *parser) skip() error {
	switch c := p.peek(); {
	case c == '{':
		return p.object(func(string) error { return p.skip() })
	case c == '[':
		return p.array(p.skip)
	case c == '"':
		_, err := p.str()
		return err
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := p.number()
		return err
	case c == 0:
		return p.fail("unexpected end of input")
	}
	return p.fail("unexpected character %q", p.data[p.pos])
}

// value parses a state-file property value, decoding the signature objects of
// secrets, resource references and output values, and unknown sentinels.
func (p *parser) value() (resource.PropertyValue, error) {
	switch c := p.peek(); {
	case c == '{':
		m := resource.PropertyMap{}
		err := p.object(func(key string) error {
			v, err := p.value()
			m[resource.PropertyKey(key)] = v
			return err
		})
		if err != nil {
			return resource.PropertyValue{}, err
		}
		return signature(m), nil
	case c == '[':
		var arr []resource.PropertyValue
		err := p.array(func() error {
			v, err := p.value()
			arr = append(arr, v)
			return err
		})
		if arr == nil {
			arr = []resource.PropertyValue{}
		}
		return resource.NewProperty(arr), err
	case c == '"':
		s, err := p.str()
		if err != nil {
			return resource.PropertyValue{}, err
		}
		if s == sig.UnknownStringValue || s == sig.UnknownBoolValue || s == sig.UnknownNumberValue {
			return resource.MakeComputed(resource.NewProperty("")), nil
		}
		return resource.NewProperty(s), nil
	case c == 't':
		return resource.NewProperty(true), p.literal("true")
	case c == 'f':
		return resource.NewProperty(false), p.literal("false")
	case c == 'n':
		return resource.NewNullProperty(), p.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		f, err := p.number()
		return resource.NewProperty(f), err
	case c == 0:
		return resource.PropertyValue{}, p.fail("unexpected end of input")
	}
	return resource.PropertyValue{}, p.fail("unexpected character %q", p.data[p.pos])
}

// signature decodes an object carrying the special-value signature key.
func signature(m resource.PropertyMap) resource.PropertyValue {
	k, ok := m[sig.Key]
	if !ok || !k.IsString() {
		return resource.NewProperty(m)
	}
	switch k.StringValue() {
	case sig.Secret:
		if pt, ok := m["plaintext"]; ok && pt.IsString() {
			inner := &parser{data: []byte(pt.StringValue())}
			if v, err := inner.value(); err == nil {
				return resource.MakeSecret(v)
			}
		}
		// Encrypted: the value is not readable here, only that it is secret.
		return resource.MakeSecret(resource.MakeComputed(resource.NewProperty("")))
	case sig.ResourceReference:
		if urn, ok := m["urn"]; ok && urn.IsString() {
			return urn
		}
	case sig.OutputValue:
		if v, ok := m["value"]; ok {
			return v
		}
		return resource.MakeComputed(resource.NewProperty(""))
	}
	return resource.NewProperty("<" + k.StringValue() + ">")
}

func (p *parser) propertyMap() (resource.PropertyMap, error) {
	if p.peek() == 'n' {
		return nil, p.literal("null")
	}
	m := resource.PropertyMap{}
	err := p.object(func(key string) error {
		v, err := p.value()
		m[resource.PropertyKey(key)] = v
		return err
	})
	return m, err
}

func (p *parser) stringOrNull() (string, error) {
	if p.peek() == 'n' {
		return "", p.literal("null")
	}
	return p.str()
}

func (p *parser) boolean() (bool, error) {
	switch p.peek() {
	case 't':
		return true, p.literal("true")
	case 'f':
		return false, p.literal("false")
	case 'n':
		return false, p.literal("null")
	}
	return false, p.fail("expected a boolean")
}

// resource parses one resource object.
func (p *parser) resource() (stateResource, error) {
	var r stateResource
	err := p.object(func(key string) error {
		var err error
		switch key {
		case "urn":
			r.urn, err = p.stringOrNull()
		case "type":
			r.typ, err = p.stringOrNull()
		case "id":
			r.id, err = p.stringOrNull()
		case "parent":
			r.parent, err = p.stringOrNull()
		case "provider":
			r.provider, err = p.stringOrNull()
		case "custom":
			r.custom, err = p.boolean()
		case "delete":
			r.delete, err = p.boolean()
		case "inputs":
			r.inputs, err = p.propertyMap()
		case "outputs":
			r.outputs, err = p.propertyMap()
		default:
			err = p.skip()
		}
		return err
	})
	return r, err
}

// parseDeployment parses `{"version": 3, "deployment": {"resources": [...]}}`.
// It first finds each resource's bytes (a scan that builds nothing), then
// parses the resources on every core.
func parseDeployment(data []byte) (version int, resources []stateResource, err error) {
	p := &parser{data: data}
	var spans [][2]int
	sawDeployment := false
	if p.peek() != '{' {
		return 0, nil, errors.New("expected a JSON object (the output of `pulumi stack export`)")
	}
	err = p.object(func(key string) error {
		switch key {
		case "version":
			f, err := p.number()
			version = int(f)
			return err
		case "deployment":
			sawDeployment = true
			if p.peek() != '{' {
				return p.fail("\"deployment\" is not an object")
			}
			return p.object(func(key string) error {
				if key != "resources" {
					return p.skip()
				}
				switch p.peek() {
				case 'n':
					return p.literal("null")
				case '[':
				default:
					return p.fail("\"resources\" is not an array")
				}
				return p.array(func() error {
					p.ws()
					start := p.pos
					if p.peek() != '{' {
						return p.fail("a resource is not an object")
					}
					if err := p.skip(); err != nil {
						return err
					}
					spans = append(spans, [2]int{start, p.pos})
					return nil
				})
			})
		}
		return p.skip()
	})
	if err != nil {
		return 0, nil, err
	}
	if p.peek() != 0 {
		return 0, nil, p.fail("unexpected data after the deployment")
	}
	if !sawDeployment && version == 0 {
		return 0, nil, errNoDeployment
	}
	resources = make([]stateResource, len(spans))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(spans)/512))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(spans); i += workers {
				sp := spans[i]
				rp := &parser{data: data[:sp[1]], pos: sp[0]}
				r, err := rp.resource()
				if err != nil {
					errs[w] = fmt.Errorf("resource %d: %w", i, err)
					return
				}
				resources[i] = r
			}
		}(w)
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, nil, err
	}
	return version, resources, nil
}

var errNoDeployment = errors.New("no \"version\" and \"deployment\" fields")
