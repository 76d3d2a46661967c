package main

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// attrFiller decides the value of a computed attribute that the
// configuration left null. ok=false keeps the null.
type attrFiller func(t tftypes.Type) (v tftypes.Value, ok bool)

// unknownFiller marks a computed attribute as "known after apply", which is
// what a real provider plans when it creates a resource.
func unknownFiller(t tftypes.Type) (tftypes.Value, bool) {
	return tftypes.NewValue(t, tftypes.UnknownValue), true
}

// placeholderFiller gives data sources wholly known stand-in values,
// because Terraform rejects a data source read that returns unknowns.
func placeholderFiller(t tftypes.Type) (tftypes.Value, bool) {
	v, err := placeholder(t)
	return v, err == nil
}

func placeholder(t tftypes.Type) (tftypes.Value, error) {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "offline"), nil
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, big.NewFloat(0)), nil
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false), nil
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}):
		return tftypes.NewValue(t, []tftypes.Value{}), nil
	case t.Is(tftypes.Map{}):
		return tftypes.NewValue(t, map[string]tftypes.Value{}), nil
	case t.Is(tftypes.Object{}):
		obj := t.(tftypes.Object)
		vals := make(map[string]tftypes.Value, len(obj.AttributeTypes))
		for name, at := range obj.AttributeTypes {
			v, err := placeholder(at)
			if err != nil {
				return tftypes.Value{}, err
			}
			vals[name] = v
		}
		return tftypes.NewValue(t, vals), nil
	}
	return tftypes.Value{}, fmt.Errorf("tfprovider: no placeholder for %s", t)
}

// fillComputed returns v with every null computed attribute of block b
// (and of its nested blocks) replaced by fill's value.
func fillComputed(b *tfprotov5.SchemaBlock, v tftypes.Value, fill attrFiller) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	vals := map[string]tftypes.Value{}
	if err := v.As(&vals); err != nil {
		return v, fmt.Errorf("tfprovider: block value: %w", err)
	}
	for _, a := range b.Attributes {
		cur, ok := vals[a.Name]
		if !a.Computed || (ok && !cur.IsNull()) {
			continue
		}
		if nv, ok := fill(a.Type); ok {
			vals[a.Name] = nv
		}
	}
	for _, nb := range b.BlockTypes {
		cur, ok := vals[nb.TypeName]
		if !ok {
			continue
		}
		nv, err := fillNested(nb, cur, fill)
		if err != nil {
			return v, fmt.Errorf("%s: %w", nb.TypeName, err)
		}
		vals[nb.TypeName] = nv
	}
	return tftypes.NewValue(v.Type(), vals), nil
}

func fillNested(nb *tfprotov5.SchemaNestedBlock, v tftypes.Value, fill attrFiller) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	switch nb.Nesting {
	case tfprotov5.SchemaNestedBlockNestingModeList, tfprotov5.SchemaNestedBlockNestingModeSet:
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return v, err
		}
		for i := range elems {
			e, err := fillComputed(nb.Block, elems[i], fill)
			if err != nil {
				return v, err
			}
			elems[i] = e
		}
		return tftypes.NewValue(v.Type(), elems), nil
	case tfprotov5.SchemaNestedBlockNestingModeMap:
		elems := map[string]tftypes.Value{}
		if err := v.As(&elems); err != nil {
			return v, err
		}
		for k, e := range elems {
			ne, err := fillComputed(nb.Block, e, fill)
			if err != nil {
				return v, err
			}
			elems[k] = ne
		}
		return tftypes.NewValue(v.Type(), elems), nil
	default:
		return fillComputed(nb.Block, v, fill)
	}
}
