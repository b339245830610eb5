using System.Linq.Expressions;
using System.Text.RegularExpressions;

namespace Gunicorn.Insights.Engine.Compilation;

/// <summary>
/// A condition as a person reads it: the expression's own text with the compiler's plumbing taken out, so rule
/// variables appear by the names the rule gave them and enum members by name
/// (<c>p =&gt; (p.Scope == ConfigurationScope.Systemd)</c>).
/// </summary>
internal static partial class ConditionText
{
    public static string Of(LambdaExpression condition)
    {
        var text = new EnumNames().Visit(condition)!.ToString();
        text = ClosureAccess().Replace(text, "");
        return Conversion().Replace(text, "$1");
    }

    // value(Namespace.Rule+<>c__DisplayClass3_0).timeouts → timeouts
    [GeneratedRegex(@"value\([^()]*\)\.", RegexOptions.CultureInvariant)]
    private static partial Regex ClosureAccess();

    // Convert(p.Scope, Int32) → p.Scope: conversions the compiler inserted for boxing, nullables and enum comparisons.
    [GeneratedRegex(@"Convert\(([\w.]+), (?:Object|Int32|Int64|Nullable`1)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Conversion();

    /// <summary>Enum comparisons compile to integer comparisons (<c>Convert(p.Scope, Int32) == 2</c>); names the constant again.</summary>
    private sealed class EnumNames : ExpressionVisitor
    {
        protected override Expression VisitBinary(BinaryExpression node)
        {
            if (node.NodeType is ExpressionType.Equal or ExpressionType.NotEqual
                && Named(node.Left, node.Right) is { } right)
            {
                return Expression.MakeBinary(node.NodeType, Visit(node.Left)!, right);
            }

            return base.VisitBinary(node);
        }

        private static ParameterExpression? Named(Expression converted, Expression constant) =>
            converted is UnaryExpression { NodeType: ExpressionType.Convert, Operand.Type: { IsEnum: true } enumType }
            && constant is ConstantExpression { Value: { } value } && value.GetType() == converted.Type
                ? Expression.Parameter(converted.Type, $"{enumType.Name}.{Enum.ToObject(enumType, value)}")
                : null;
    }
}
