/**
 * Menu engineering (`#/menu/:section`): the items with their prices and food costs, the CSV import
 * with its rejected rows, the Square connection, the matrix (scatter chart with its quadrant
 * lines, recommendations, trends), the demand forecast with its backtest, and the promotions that
 * become campaign drafts.
 */
import { SectionsPage } from '../shared/SectionsPage';
import { ForecastSection } from './ForecastSection';
import { ImportSection } from './ImportSection';
import { ItemsSection } from './ItemsSection';
import { MatrixSection } from './MatrixSection';
import { PromotionsSection } from './PromotionsSection';
import { SquareSection } from './SquareSection';
import '../pages.css';
import './menu.css';

export function MenuPage() {
  return (
    <SectionsPage
      title="Menu"
      base="/menu"
      sections={[
        { id: 'matrix', label: 'Matrix', render: () => <MatrixSection /> },
        { id: 'items', label: 'Items', render: () => <ItemsSection /> },
        { id: 'import', label: 'Import', render: () => <ImportSection /> },
        { id: 'square', label: 'Square', render: () => <SquareSection /> },
        { id: 'forecast', label: 'Forecast', render: () => <ForecastSection /> },
        { id: 'promotions', label: 'Promotions', render: () => <PromotionsSection /> },
      ]}
    />
  );
}
