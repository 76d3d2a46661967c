package statement

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// Page geometry, in millimetres on A4 portrait. (Coordinates are floats in
// fpdf's API; money never is.)
const (
	margin    = 15.0
	rowHeight = 6.0
	font      = "Helvetica"
)

// column is one column of the entries table.
type column struct {
	title string
	width float64
	align string // fpdf alignment: "L" or "R"
}

// PDF writes the statement as a PDF: a header (bank, period, account) on
// every page, the opening balance, totals in and out and closing balance,
// the entries table (continued across pages with its column titles
// repeated), and a footer with "Page n of N". Long descriptions and
// counterparties are shortened to fit their column; the CSV has them whole.
//
// The output is deterministic: the same Statement gives the same bytes
// (the document dates are GeneratedAt, resources are written sorted).
// Text uses the PDF core fonts in Windows-1252, so €, £ and Western
// European letters print; other characters print as '.'.
func PDF(w io.Writer, s Statement) error {
	if err := s.Validate(); err != nil {
		return err
	}
	r := newRenderer(s)
	r.render()
	if err := r.pdf.Output(w); err != nil {
		return fmt.Errorf("statement: write pdf: %w", err)
	}
	return nil
}

// renderer holds one document being drawn.
type renderer struct {
	s       Statement
	pdf     *fpdf.Fpdf
	tr      func(string) string // UTF-8 → Windows-1252
	digits  int
	cols    []column
	inTable bool // the header repeats the column titles while true
}

func newRenderer(s Statement) *renderer {
	pdf := fpdf.New("P", "mm", "A4", "")
	gen := s.GeneratedAt.UTC()
	pdf.SetCreationDate(gen)
	pdf.SetModificationDate(gen)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+8)
	pdf.AliasNbPages("")
	pdf.SetTitle(fmt.Sprintf("%s statement %s %s", s.BankName, s.Account.Number, s.Period), true)
	pdf.SetAuthor(s.BankName, true)
	pdf.SetCreator("BankApp", false)
	r := &renderer{
		s:      s,
		pdf:    pdf,
		tr:     pdf.UnicodeTranslatorFromDescriptor(""),
		digits: s.Account.digits(),
		cols: []column{
			{"Date", 19, "L"},
			{"Type", 22, "L"},
			{"Description", 49, "L"},
			{"Counterparty", 46, "L"},
			{"Amount", 22, "R"},
			{"Balance", 22, "R"},
		},
	}
	pdf.SetHeaderFunc(r.header)
	pdf.SetFooterFunc(r.footer)
	return r
}

// text prepares UTF-8 for a core font: control characters become spaces.
func (r *renderer) text(s string) string {
	s = strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) {
			return ' '
		}
		return c
	}, s)
	return r.tr(s)
}

// fit shortens already-translated text to fit width w, adding "...".
func (r *renderer) fit(s string, w float64) string {
	avail := w - 2*r.pdf.GetCellMargin()
	if r.pdf.GetStringWidth(s) <= avail {
		return s
	}
	for len(s) > 0 && r.pdf.GetStringWidth(s+"...") > avail {
		s = s[:len(s)-1] // single-byte after translation
	}
	return strings.TrimRight(s, " ") + "..."
}

func (r *renderer) money(v int64) string {
	return r.text(FormatMoney(v, r.digits, r.s.Account.Currency))
}

func (r *renderer) render() {
	p, s := r.pdf, r.s
	p.AddPage()

	// Account details and summary, side by side.
	top := p.GetY()
	details := [][2]string{
		{"Account holder", s.Holder},
		{"Account name", s.Account.Name},
		{"Account number", s.Account.Number},
		{"Account type", s.Account.Type},
		{"Currency", s.Account.Currency},
	}
	for _, d := range details {
		r.labelValue(margin, 28, 62, d[0], r.text(d[1]), "L")
	}
	p.SetY(top)
	summary := [][2]string{
		{"Opening balance", r.money(s.Opening)},
		{"Money in", r.money(s.TotalIn)},
		{"Money out", r.money(-s.TotalOut)},
		{r.closingLabel(), r.money(s.Closing)},
	}
	for _, d := range summary {
		r.labelValue(110, 35, 40, d[0], d[1], "R")
	}
	p.SetY(top + float64(len(details))*rowHeight + 6)

	p.SetFont(font, "B", 11)
	p.CellFormat(0, 8, r.text(fmt.Sprintf("Transactions (%d)", len(s.Entries))), "", 1, "L", false, 0, "")
	r.tableHeader()
	r.inTable = true
	p.SetFont(font, "", 8)
	if len(s.Entries) == 0 {
		p.CellFormat(0, rowHeight, "No transactions in this period.", "", 1, "L", false, 0, "")
	}
	for i, e := range s.Entries {
		r.entryRow(e, i%2 == 1)
	}
	r.inTable = false

	// Closing line, kept with at least the table's last row.
	p.Ln(2)
	p.SetFont(font, "B", 9)
	label := r.text("Closing balance on " + r.periodEnd())
	if s.InProgress() {
		label = r.text("Balance on " + r.periodEnd() + ", month to date")
	}
	p.CellFormat(158, rowHeight, label, "T", 0, "R", false, 0, "")
	p.CellFormat(22, rowHeight, r.money(s.Closing), "T", 1, "R", false, 0, "")
}

func (r *renderer) labelValue(x, lw, vw float64, label, value, align string) {
	p := r.pdf
	p.SetX(x)
	p.SetFont(font, "", 9)
	p.SetTextColor(90, 90, 90)
	p.CellFormat(lw, rowHeight, label, "", 0, "L", false, 0, "")
	p.SetFont(font, "B", 9)
	p.SetTextColor(0, 0, 0)
	p.CellFormat(vw, rowHeight, r.fit(value, vw), "", 1, align, false, 0, "")
}

func (r *renderer) tableHeader() {
	p := r.pdf
	p.SetFont(font, "B", 8)
	p.SetFillColor(225, 230, 240)
	for _, c := range r.cols {
		p.CellFormat(c.width, rowHeight, c.title, "B", 0, c.align, true, 0, "")
	}
	p.Ln(-1)
}

func (r *renderer) entryRow(e Entry, shade bool) {
	p := r.pdf
	p.SetFillColor(246, 247, 250)
	cells := []string{
		e.Date.Format(time.DateOnly),
		KindLabel(e.Kind),
		e.Description,
		e.Counterparty,
		FormatAmount(e.Amount, r.digits),
		FormatAmount(e.BalanceAfter, r.digits),
	}
	for i, c := range r.cols {
		p.CellFormat(c.width, rowHeight, r.fit(r.text(cells[i]), c.width), "", 0, c.align, shade, 0, "")
	}
	p.Ln(-1)
}

// header runs at the top of every page (fpdf calls it from AddPage, also on
// automatic page breaks).
func (r *renderer) header() {
	p, s := r.pdf, r.s
	p.SetFont(font, "B", 14)
	p.CellFormat(100, 8, r.text(s.BankName), "", 0, "L", false, 0, "")
	p.SetFont(font, "", 11)
	title := "Statement " + s.Period.Title()
	if s.InProgress() {
		title += " (month to date)"
	}
	p.CellFormat(0, 8, r.text(title), "", 1, "R", false, 0, "")
	p.SetFont(font, "", 8)
	p.SetTextColor(90, 90, 90)
	sub := fmt.Sprintf("Account %s  ·  %s to %s", s.Account.Number, r.periodStart(), r.periodEnd())
	p.CellFormat(0, 5, r.text(sub), "B", 1, "L", false, 0, "")
	p.SetTextColor(0, 0, 0)
	p.Ln(4)
	if r.inTable {
		r.tableHeader()
		p.SetFont(font, "", 8)
	}
}

func (r *renderer) footer() {
	p := r.pdf
	p.SetY(-(margin + 4))
	p.SetFont(font, "", 7)
	p.SetTextColor(90, 90, 90)
	gen := "Generated " + r.s.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")
	p.CellFormat(120, 5, r.text(gen), "T", 0, "L", false, 0, "")
	p.CellFormat(0, 5, fmt.Sprintf("Page %d of {nb}", p.PageNo()), "T", 0, "R", false, 0, "")
	p.SetTextColor(0, 0, 0)
}

func (r *renderer) periodStart() string {
	return r.s.Period.Start(time.UTC).Format("2 January 2006")
}

// periodEnd is the month's last day, or today for a month in progress.
func (r *renderer) periodEnd() string {
	return r.s.through().Format("2 January 2006")
}

// closingLabel names the last balance in the summary: a month in progress
// has no closing balance yet.
func (r *renderer) closingLabel() string {
	if r.s.InProgress() {
		return "Balance so far"
	}
	return "Closing balance"
}
